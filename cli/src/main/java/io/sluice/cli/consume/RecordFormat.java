package io.sluice.cli.consume;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;

/** How {@code sluice consume} prints a record: one line each. Keys, values and headers are read as UTF-8. */
enum RecordFormat
{
    /** The value alone. */
    VALUE,
    /** Key, separator, value ({@code null} for a missing key or value). */
    KV,
    /** A JSON object with topic, partition, offset, timestamp and its type, key, value and headers. */
    JSON;

    String format(final ConsumerRecord<byte[], byte[]> record, final String keySeparator)
    {
        return switch (this)
        {
            case VALUE -> text(record.value());
            case KV -> text(record.key()) + keySeparator + text(record.value());
            case JSON -> json(record);
        };
    }

    private static String json(final ConsumerRecord<byte[], byte[]> record)
    {
        final StringBuilder out = new StringBuilder(128);
        out.append("{\"topic\":");
        quote(out, record.topic());
        out.append(",\"partition\":").append(record.partition());
        out.append(",\"offset\":").append(record.offset());
        out.append(",\"timestamp\":").append(record.timestamp());
        out.append(",\"timestampType\":");
        quote(out, record.timestampType().name);
        out.append(",\"key\":");
        quoteOrNull(out, record.key());
        out.append(",\"value\":");
        quoteOrNull(out, record.value());
        out.append(",\"headers\":{");
        boolean first = true;
        for (final Header header : record.headers())
        {
            if (!first)
            {
                out.append(',');
            }
            first = false;
            quote(out, header.key());
            out.append(':');
            quoteOrNull(out, header.value());
        }
        return out.append("}}").toString();
    }

    private static String text(final byte[] bytes)
    {
        return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
    }

    private static void quoteOrNull(final StringBuilder out, final byte[] bytes)
    {
        if (bytes == null)
        {
            out.append("null");
        }
        else
        {
            quote(out, new String(bytes, StandardCharsets.UTF_8));
        }
    }

    private static void quote(final StringBuilder out, final String text)
    {
        out.append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default ->
                {
                    if (c < 0x20)
                    {
                        out.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
