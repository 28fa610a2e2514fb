package io.sluice.codecs.kafka;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The version constants must match the JSON message schemas that ship inside kafka-clients. */
class DataPlaneVersionsTest
{
    private static final String[] PRODUCE_SCHEMAS = { "ProduceRequest", "ProduceResponse" };
    private static final String[] FETCH_SCHEMAS = { "FetchRequest", "FetchResponse" };

    @Test
    void shouldMatchProduceSchemas() throws IOException
    {
        for (final String name : PRODUCE_SCHEMAS)
        {
            final String schema = schema(name);
            assertThat(match(schema, "\"validVersions\": \"(\\d+)-(\\d+)\"", 1))
                .isEqualTo(String.valueOf(DataPlaneVersions.PRODUCE_MIN_VERSION));
            assertThat(match(schema, "\"validVersions\": \"(\\d+)-(\\d+)\"", 2))
                .isEqualTo(String.valueOf(DataPlaneVersions.PRODUCE_MAX_VERSION));
            assertThat(match(schema, "\"flexibleVersions\": \"(\\d+)\\+\"", 1))
                .isEqualTo(String.valueOf(DataPlaneVersions.PRODUCE_FIRST_FLEXIBLE_VERSION));
            assertThat(match(schema, "\"name\": \"TopicId\", \"type\": \"uuid\", \"versions\": \"(\\d+)\\+\"", 1))
                .isEqualTo(String.valueOf(DataPlaneVersions.PRODUCE_FIRST_TOPIC_ID_VERSION));
        }
    }

    @Test
    void shouldMatchFetchSchemas() throws IOException
    {
        for (final String name : FETCH_SCHEMAS)
        {
            final String schema = schema(name);
            assertThat(match(schema, "\"validVersions\": \"(\\d+)-(\\d+)\"", 1))
                .isEqualTo(String.valueOf(DataPlaneVersions.FETCH_MIN_VERSION));
            assertThat(match(schema, "\"validVersions\": \"(\\d+)-(\\d+)\"", 2))
                .isEqualTo(String.valueOf(DataPlaneVersions.FETCH_MAX_VERSION));
            assertThat(match(schema, "\"flexibleVersions\": \"(\\d+)\\+\"", 1))
                .isEqualTo(String.valueOf(DataPlaneVersions.FETCH_FIRST_FLEXIBLE_VERSION));
            assertThat(match(schema, "\"name\": \"TopicId\", \"type\": \"uuid\", \"versions\": \"(\\d+)\\+\"", 1))
                .isEqualTo(String.valueOf(DataPlaneVersions.FETCH_FIRST_TOPIC_ID_VERSION));
        }
    }

    @Test
    void shouldOnlySupportProduceAndFetch()
    {
        assertThat(DataPlaneVersions.isSupported(DataPlaneVersions.PRODUCE_API_KEY, 13)).isTrue();
        assertThat(DataPlaneVersions.isSupported(DataPlaneVersions.PRODUCE_API_KEY, 2)).isFalse();
        assertThat(DataPlaneVersions.isSupported(DataPlaneVersions.FETCH_API_KEY, 4)).isTrue();
        assertThat(DataPlaneVersions.isSupported(DataPlaneVersions.FETCH_API_KEY, 19)).isFalse();
        assertThat(DataPlaneVersions.isSupported(3, 12)).isFalse();
        assertThat(DataPlaneVersions.responseHeaderVersion(3, 12)).isEqualTo(-1);
    }

    private static String schema(final String name) throws IOException
    {
        try (InputStream in = DataPlaneVersionsTest.class.getResourceAsStream("/common/message/" + name + ".json"))
        {
            assertThat(in).as(name + ".json on the test classpath (kafka-clients)").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String match(final String text, final String regex, final int group)
    {
        final Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as(regex).isTrue();
        return matcher.group(group);
    }
}
