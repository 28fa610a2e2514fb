package io.sluice.broker.topic;

/** Kafka's rules for a legal topic name: 1 to 249 characters of {@code [a-zA-Z0-9._-]}, not "." or "..". */
public final class TopicName
{
    public static final int MAX_LENGTH = 249;
    /** The broker's own topic: committed offsets and group state; it cannot be deleted. */
    public static final String CONSUMER_OFFSETS = "__consumer_offsets";

    private TopicName()
    {
    }

    /** Why {@code name} is not a legal topic name, or null when it is. */
    public static String invalidReason(final String name)
    {
        if (name == null || name.isEmpty())
        {
            return "topic name is empty";
        }
        if (".".equals(name) || "..".equals(name))
        {
            return "topic name cannot be '.' or '..'";
        }
        if (name.length() > MAX_LENGTH)
        {
            return "topic name is longer than " + MAX_LENGTH + " characters";
        }
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            final boolean legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '_' || c == '-';
            if (!legal)
            {
                return "topic name '" + name + "' contains '" + c + "': only ASCII alphanumerics, '.', '_' and '-'";
            }
        }
        return null;
    }

    /** Topics whose names start with "__" are internal (consumer offsets, transaction state). */
    public static boolean isInternal(final String name)
    {
        return name.startsWith("__");
    }
}
