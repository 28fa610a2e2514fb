package io.sluice.cli;

import io.sluice.broker.Broker;
import io.sluice.broker.BrokerConfig;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/** An in-process broker on an OS-chosen port for the command tests, and a way to run a command against it. */
final class CliBroker implements AutoCloseable
{
    private final Broker broker;
    private final Path dir;

    private CliBroker(final Broker broker, final Path dir)
    {
        this.broker = broker;
        this.dir = dir;
    }

    static CliBroker start(final Path dir, final String... overrides)
    {
        final BrokerConfig config = new BrokerConfig()
            .set(BrokerConfig.LISTENERS, "PLAINTEXT://127.0.0.1:0")
            .set(BrokerConfig.LOG_DIRS, dir.toString())
            .set(BrokerConfig.NUM_SHARDS, "2")
            .set(BrokerConfig.NUM_NETWORK_THREADS, "1")
            .set(BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0");
        for (final String override : overrides)
        {
            config.override(override);
        }
        return new CliBroker(Broker.open(config.conclude()).start(), dir);
    }

    String bootstrap()
    {
        return "127.0.0.1:" + broker.port("PLAINTEXT");
    }

    Broker broker()
    {
        return broker;
    }

    Path dir()
    {
        return dir;
    }

    /** Run {@code sluice ARGS... --bootstrap-server THIS}. */
    Result run(final String... args)
    {
        final String[] withBootstrap = new String[args.length + 2];
        System.arraycopy(args, 0, withBootstrap, 0, args.length);
        withBootstrap[args.length] = "--bootstrap-server";
        withBootstrap[args.length + 1] = bootstrap();
        return cli(withBootstrap);
    }

    /** Run {@code sluice ARGS...} in this process. */
    static Result cli(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = SluiceCli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(status, out.toString(), err.toString());
    }

    @Override
    public void close()
    {
        broker.close();
    }

    /** What a command did: its exit status and what it printed. */
    record Result(int status, String out, String err)
    {
        long errLines()
        {
            return err.lines().count();
        }
    }
}
