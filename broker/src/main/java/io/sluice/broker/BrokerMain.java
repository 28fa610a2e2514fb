package io.sluice.broker;

import java.nio.file.Path;

/**
 * {@code sluice server [FILE.properties] [--override key=value]...}: start a single-node broker.
 *
 * <p>On success prints {@code Sluice <version> started: PLAINTEXT://host:port ...} once the listeners accept.
 * A bad property, an unusable data directory or a port in use prints one line naming the cause on standard
 * error and exits with status 1. SIGTERM (or Ctrl-C) stops the broker cleanly and exits with status 0.
 */
public final class BrokerMain
{
    private static final long SHUTDOWN_LIMIT_MS = 20_000;

    private BrokerMain()
    {
    }

    public static void main(final String[] args)
    {
        final Broker broker;
        try
        {
            final BrokerConfig config = parse(args).conclude();
            broker = Broker.open(config).start();
        }
        catch (final IllegalArgumentException | IllegalStateException ex)
        {
            fail(ex.getMessage());
            return;
        }
        catch (final RuntimeException | Error ex)
        {
            fail("unexpected " + ex);
            return;
        }

        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(broker), "sluice-shutdown"));
        System.out.println("Sluice " + Broker.version() + " started: " + broker.describeListeners());
        System.out.flush();
    }

    /**
     * The configuration the arguments name: an optional properties file first, then {@code --override key=value}
     * pairs, which win over the file.
     *
     * @throws IllegalArgumentException naming what is wrong.
     */
    static BrokerConfig parse(final String[] args)
    {
        final BrokerConfig config = new BrokerConfig();
        int i = 0;
        if (args.length > 0 && !args[0].startsWith("--"))
        {
            config.load(Path.of(args[0]));
            i = 1;
        }
        while (i < args.length)
        {
            final String arg = args[i];
            if ("--override".equals(arg))
            {
                if (i + 1 >= args.length)
                {
                    throw new IllegalArgumentException("--override needs key=value");
                }
                config.override(args[i + 1]);
                i += 2;
            }
            else if (arg.startsWith("--override="))
            {
                config.override(arg.substring("--override=".length()));
                i++;
            }
            else
            {
                throw new IllegalArgumentException(
                    "unexpected argument '" + arg + "' (usage: sluice server [FILE.properties] [--override key=value]...)");
            }
        }
        return config;
    }

    private static void stop(final Broker broker)
    {
        final Thread watchdog = new Thread(() ->
        {
            try
            {
                Thread.sleep(SHUTDOWN_LIMIT_MS);
                BrokerLog.warn("shutdown took over " + SHUTDOWN_LIMIT_MS + " ms; halting");
                System.out.flush();
                Runtime.getRuntime().halt(1);
            }
            catch (final InterruptedException ignore)
            {
                // Shutdown finished in time.
            }
        }, "sluice-shutdown-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        BrokerLog.info("stopping");
        broker.close();
        BrokerLog.info("stopped");
        System.out.flush();
        // A JVM ended by SIGTERM exits with 143 even after a clean shutdown; the contract promises 0.
        Runtime.getRuntime().halt(0);
    }

    private static void fail(final String reason)
    {
        System.err.println("Sluice cannot start: " + reason);
        System.err.flush();
        System.exit(1);
    }
}
