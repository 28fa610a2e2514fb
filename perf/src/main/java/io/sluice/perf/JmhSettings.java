package io.sluice.perf;

/** What every benchmark fork needs, kept in one place for the {@code @Fork(jvmArgsAppend = ...)} annotations. */
public final class JmhSettings
{
    /** A small heap (the machine is shared) and the opens Agrona needs, as the parent pom's sluice.jvm.opens. */
    public static final String HEAP = "-Xmx512m";
    public static final String EXPORT_MISC = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";
    public static final String OPEN_NIO_CH = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED";
    public static final String OPEN_NIO = "--add-opens=java.base/java.nio=ALL-UNNAMED";
    /** Lets CRC32C run by address (Agrona), so checksumming ever-changing buffers allocates nothing. */
    public static final String OPEN_ZIP = "--add-opens=java.base/java.util.zip=ALL-UNNAMED";

    private JmhSettings()
    {
    }
}
