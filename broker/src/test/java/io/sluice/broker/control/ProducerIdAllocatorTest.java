package io.sluice.broker.control;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ProducerIdAllocatorTest
{
    @TempDir
    Path dir;

    @Test
    void shouldNeverHandOutAnIdTwiceAcrossRestarts() throws Exception
    {
        final Set<Long> seen = new HashSet<>();
        for (int restart = 0; restart < 3; restart++)
        {
            final ProducerIdAllocator allocator = new ProducerIdAllocator(dir);
            for (int i = 0; i < ProducerIdAllocator.BLOCK_SIZE + 5; i++)
            {
                assertThat(seen.add(allocator.allocate())).isTrue();
            }
        }
        assertThat(seen).allMatch(id -> id >= 0);
    }
}
