package io.sluice.journal.producer;

import io.sluice.codecs.record.ErrorCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

class ProducerStateTableTest
{
    private static final long PID = 4000L;
    private static final short EPOCH = 3;
    private static final int RECORDS_PER_BATCH = 10;

    private final ProducerStateTable table = new ProducerStateTable(16);
    private final DuplicateOffsets out = new DuplicateOffsets();
    private long nextOffset = 100;

    @Test
    void shouldAlwaysAcceptBatchesWithoutProducerId()
    {
        table.update(-1, (short)-1, -1, -1, 0, 9, 1000);

        assertThat(table.check(-1, (short)-1, -1, -1, out)).isEqualTo(ErrorCodes.NONE);
        assertThat(table.check(-1, (short)-1, 17, 20, out)).isEqualTo(ErrorCodes.NONE);
        assertThat(table.producerCount()).isZero();
    }

    @Test
    void shouldAcceptUnknownProducerAtAnySequence()
    {
        assertThat(table.check(PID, EPOCH, 0, 9, out)).isEqualTo(ErrorCodes.NONE);
        assertThat(table.check(PID, EPOCH, 12345, 12354, out)).isEqualTo(ErrorCodes.NONE);
    }

    @Test
    void shouldAcceptBatchesInSequence()
    {
        for (int i = 0; i < 20; i++)
        {
            final int base = i * RECORDS_PER_BATCH;
            assertThat(table.check(PID, EPOCH, base, base + RECORDS_PER_BATCH - 1, out)).isEqualTo(ErrorCodes.NONE);
            append(PID, EPOCH, base, RECORDS_PER_BATCH);
        }
        assertThat(table.producerCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 2, 3, 4 })
    void shouldAnswerDuplicateOfEachOfLastFiveWithItsOriginalOffsets(final int age)
    {
        final long[] firstOffsets = new long[7];
        for (int i = 0; i < 7; i++)
        {
            firstOffsets[i] = append(PID, EPOCH, i * RECORDS_PER_BATCH, RECORDS_PER_BATCH);
        }
        final int batch = 2 + age;
        final int base = batch * RECORDS_PER_BATCH;

        final short code = table.check(PID, EPOCH, base, base + RECORDS_PER_BATCH - 1, out.reset());

        assertThat(code).isEqualTo(ErrorCodes.DUPLICATE_SEQUENCE_NUMBER);
        assertThat(out.firstOffset).isEqualTo(firstOffsets[batch]);
        assertThat(out.lastOffset).isEqualTo(firstOffsets[batch] + RECORDS_PER_BATCH - 1);
        assertThat(out.maxTimestamp).isEqualTo(timestampOf(firstOffsets[batch]));
    }

    @Test
    void shouldRefuseRetryOfBatchOlderThanLastFiveAsOutOfOrder()
    {
        for (int i = 0; i < 6; i++)
        {
            append(PID, EPOCH, i * RECORDS_PER_BATCH, RECORDS_PER_BATCH);
        }

        assertThat(table.check(PID, EPOCH, 0, RECORDS_PER_BATCH - 1, out))
            .isEqualTo(ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(table.check(PID, EPOCH, RECORDS_PER_BATCH, 2 * RECORDS_PER_BATCH - 1, out))
            .isEqualTo(ErrorCodes.DUPLICATE_SEQUENCE_NUMBER);
    }

    @Test
    void shouldRefuseSequenceGap()
    {
        append(PID, EPOCH, 0, RECORDS_PER_BATCH);

        assertThat(table.check(PID, EPOCH, RECORDS_PER_BATCH + 1, RECORDS_PER_BATCH + 5, out))
            .isEqualTo(ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER);
    }

    @Test
    void shouldRefuseOverlapThatIsNotAnExactDuplicate()
    {
        append(PID, EPOCH, 0, RECORDS_PER_BATCH);

        assertThat(table.check(PID, EPOCH, 5, 14, out)).isEqualTo(ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(table.check(PID, EPOCH, 0, 4, out)).isEqualTo(ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER);
    }

    @Test
    void shouldFenceOlderEpochEvenForItsOwnBatches()
    {
        append(PID, (short)(EPOCH - 1), 0, RECORDS_PER_BATCH);
        append(PID, EPOCH, 0, RECORDS_PER_BATCH);

        assertThat(table.check(PID, (short)(EPOCH - 1), RECORDS_PER_BATCH, 2 * RECORDS_PER_BATCH - 1, out))
            .isEqualTo(ErrorCodes.INVALID_PRODUCER_EPOCH);
        assertThat(table.check(PID, (short)(EPOCH - 1), 0, RECORDS_PER_BATCH - 1, out))
            .isEqualTo(ErrorCodes.INVALID_PRODUCER_EPOCH);
    }

    @Test
    void shouldAcceptNewEpochOnlyFromSequenceZero()
    {
        append(PID, EPOCH, 0, RECORDS_PER_BATCH);
        append(PID, EPOCH, RECORDS_PER_BATCH, RECORDS_PER_BATCH);

        assertThat(table.check(PID, (short)(EPOCH + 1), 0, 4, out)).isEqualTo(ErrorCodes.NONE);
        assertThat(table.check(PID, (short)(EPOCH + 1), 2 * RECORDS_PER_BATCH, 29, out))
            .isEqualTo(ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER);
    }

    @Test
    void shouldForgetBatchesOfOldEpochWhenEpochIsBumped()
    {
        append(PID, EPOCH, 0, RECORDS_PER_BATCH);
        append(PID, EPOCH, RECORDS_PER_BATCH, RECORDS_PER_BATCH);
        final short bumped = (short)(EPOCH + 1);
        final long bumpedOffset = append(PID, bumped, 0, 5);

        assertThat(table.check(PID, bumped, 0, 4, out.reset())).isEqualTo(ErrorCodes.DUPLICATE_SEQUENCE_NUMBER);
        assertThat(out.firstOffset).isEqualTo(bumpedOffset);
        assertThat(table.check(PID, bumped, 0, RECORDS_PER_BATCH - 1, out))
            .isEqualTo(ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(table.check(PID, bumped, 5, 9, out)).isEqualTo(ErrorCodes.NONE);
        assertThat(table.check(PID, EPOCH, RECORDS_PER_BATCH, 2 * RECORDS_PER_BATCH - 1, out))
            .isEqualTo(ErrorCodes.INVALID_PRODUCER_EPOCH);
    }

    @Test
    void shouldWrapSequenceAfterIntegerMaxValue()
    {
        table.update(PID, EPOCH, Integer.MAX_VALUE - 9, Integer.MAX_VALUE, 0, 9, 1000);

        assertThat(table.check(PID, EPOCH, 0, 9, out)).isEqualTo(ErrorCodes.NONE);
        assertThat(table.check(PID, EPOCH, 1, 10, out)).isEqualTo(ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER);
    }

    @Test
    void shouldContinueAfterBatchThatSpansTheWrap()
    {
        table.update(PID, EPOCH, Integer.MAX_VALUE - 1, 1, 0, 3, 1000);

        assertThat(table.check(PID, EPOCH, 2, 11, out)).isEqualTo(ErrorCodes.NONE);
        assertThat(table.check(PID, EPOCH, Integer.MAX_VALUE - 1, 1, out))
            .isEqualTo(ErrorCodes.DUPLICATE_SEQUENCE_NUMBER);
        assertThat(table.check(PID, EPOCH, 0, 9, out)).isEqualTo(ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER);
    }

    @Test
    void shouldKeepProducersApart()
    {
        append(PID, EPOCH, 0, RECORDS_PER_BATCH);
        append(PID + 1, (short)0, 0, RECORDS_PER_BATCH);
        append(PID + 1, (short)0, RECORDS_PER_BATCH, RECORDS_PER_BATCH);

        assertThat(table.check(PID, EPOCH, RECORDS_PER_BATCH, 19, out)).isEqualTo(ErrorCodes.NONE);
        assertThat(table.check(PID + 1, (short)0, 2 * RECORDS_PER_BATCH, 29, out)).isEqualTo(ErrorCodes.NONE);
        assertThat(table.producerCount()).isEqualTo(2);
    }

    @Test
    void shouldRemoveProducersIdleForExpirationAndThenAcceptAnySequence()
    {
        table.update(PID, EPOCH, 0, 9, 0, 9, 1_000);
        table.update(PID + 1, EPOCH, 0, 9, 10, 19, 5_000);

        assertThat(table.removeExpired(11_000, 10_000)).isEqualTo(1);

        assertThat(table.producerCount()).isEqualTo(1);
        assertThat(table.check(PID, EPOCH, 500, 509, out)).isEqualTo(ErrorCodes.NONE);
        assertThat(table.check(PID + 1, EPOCH, 500, 509, out)).isEqualTo(ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(table.removeExpired(14_999, 10_000)).isZero();
        assertThat(table.removeExpired(15_000, 10_000)).isEqualTo(1);
    }

    @Test
    void shouldNotAllocateWhenCheckingAndUpdatingKnownProducers()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        final int producers = 8;
        final int[] sequences = new int[producers];
        for (int p = 0; p < producers; p++)
        {
            append(PID + p, EPOCH, 0, RECORDS_PER_BATCH);
            sequences[p] = RECORDS_PER_BATCH;
        }
        int accepted = checkAndAppendRound(producers, sequences, 200);
        threads.getThreadAllocatedBytes(threadId);

        final long before = threads.getThreadAllocatedBytes(threadId);
        accepted += checkAndAppendRound(producers, sequences, 10_000);
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        assertThat(accepted).isEqualTo(producers * 10_200);
        assertThat(allocated).isLessThan(1024);
    }

    private int checkAndAppendRound(final int producers, final int[] sequences, final int rounds)
    {
        int accepted = 0;
        for (int r = 0; r < rounds; r++)
        {
            for (int p = 0; p < producers; p++)
            {
                final int base = sequences[p];
                if (table.check(PID + p, EPOCH, base, base + RECORDS_PER_BATCH - 1, out) == ErrorCodes.NONE)
                {
                    accepted++;
                }
                table.update(PID + p, EPOCH, base, base + RECORDS_PER_BATCH - 1, nextOffset,
                    nextOffset + RECORDS_PER_BATCH - 1, nextOffset);
                nextOffset += RECORDS_PER_BATCH;
                sequences[p] = base + RECORDS_PER_BATCH;
            }
        }
        return accepted;
    }

    /** Record a batch of {@code records} at the next offsets; returns its first offset. */
    private long append(final long producerId, final short epoch, final int baseSequence, final int records)
    {
        final long firstOffset = nextOffset;
        table.update(producerId, epoch, baseSequence, baseSequence + records - 1, firstOffset,
            firstOffset + records - 1, timestampOf(firstOffset));
        nextOffset += records;
        return firstOffset;
    }

    private static long timestampOf(final long offset)
    {
        return 1_700_000_000_000L + offset;
    }
}
