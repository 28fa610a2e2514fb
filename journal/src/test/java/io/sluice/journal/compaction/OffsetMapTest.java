package io.sluice.journal.compaction;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class OffsetMapTest
{
    private final OffsetMap map = new OffsetMap(24 * 1000, 0.9);
    private final KeyDigest digest = new KeyDigest();

    @AfterEach
    void free()
    {
        map.close();
    }

    @Test
    void shouldSizeToAPrimeNumberOfSlotsWithinTheMemoryGiven()
    {
        assertThat(map.capacity()).isEqualTo(997);
        assertThat(map.maxEntries()).isEqualTo(897);
        assertThat(OffsetMap.largestPrimeAtMost(1_000_000)).isEqualTo(999_983);
    }

    @Test
    void shouldAnswerTheLatestOffsetOfEachKey()
    {
        for (int round = 0; round < 3; round++)
        {
            for (int key = 0; key < 800; key++)
            {
                put("key-" + key, round * 1000L + key);
            }
        }
        assertThat(map.size()).isEqualTo(800);
        for (int key = 0; key < 800; key++)
        {
            assertThat(get("key-" + key)).isEqualTo(2000L + key);
        }
        assertThat(get("absent")).isEqualTo(-1);
    }

    @Test
    void shouldTellApartDigestsThatShareAHalf()
    {
        assertThat(map.put(5, 1, 10)).isTrue();
        assertThat(map.put(5, 2, 20)).isTrue();
        assertThat(map.put(5 + map.capacity(), 1, 30)).isTrue();

        assertThat(map.get(5, 1)).isEqualTo(10);
        assertThat(map.get(5, 2)).isEqualTo(20);
        assertThat(map.get(5 + map.capacity(), 1)).isEqualTo(30);
        assertThat(map.get(5, 3)).isEqualTo(-1);
        assertThat(map.size()).isEqualTo(3);
    }

    @Test
    void shouldFillEverySlotBeforeRefusing()
    {
        for (int i = 0; i < map.capacity(); i++)
        {
            assertThat(map.put(i * 7919L, -i - 1L, i)).isTrue();
        }
        assertThat(map.put(-1, -1, 1)).isFalse();
        for (int i = 0; i < map.capacity(); i++)
        {
            assertThat(map.get(i * 7919L, -i - 1L)).isEqualTo(i);
        }
    }

    @Test
    void shouldForgetEverythingOnClear()
    {
        put("a", 1);
        map.latestOffset(41);
        map.clear();
        assertThat(map.size()).isZero();
        assertThat(map.latestOffset()).isEqualTo(-1);
        assertThat(get("a")).isEqualTo(-1);
    }

    @Test
    void shouldDigestEqualKeysEquallyWhereverTheyLie()
    {
        final byte[] bytes = "xxkeyyy".getBytes(StandardCharsets.UTF_8);
        digest.digest(new UnsafeBuffer(bytes), 2, 3);
        final long high = digest.high();
        final long low = digest.low();
        digest.digest(new UnsafeBuffer("key".getBytes(StandardCharsets.UTF_8)), 0, 3);
        assertThat(digest.high()).isEqualTo(high);
        assertThat(digest.low()).isEqualTo(low);
        digest.digest(new UnsafeBuffer("kez".getBytes(StandardCharsets.UTF_8)), 0, 3);
        assertThat(digest.high()).isNotEqualTo(high);
    }

    private void put(final String key, final long offset)
    {
        final byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        digest.digest(new UnsafeBuffer(bytes), 0, bytes.length);
        assertThat(map.put(digest.high(), digest.low(), offset)).isTrue();
    }

    private long get(final String key)
    {
        final byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        digest.digest(new UnsafeBuffer(bytes), 0, bytes.length);
        return map.get(digest.high(), digest.low());
    }
}
