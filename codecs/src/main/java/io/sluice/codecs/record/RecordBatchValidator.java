package io.sluice.codecs.record;

import org.agrona.DirectBuffer;

/**
 * Checks that a region of bytes is a well-formed sequence of RecordBatch v2 batches before anything is
 * stored: length bounds, magic, CRC32C over the right range, and record counts.
 *
 * <p>Results are Kafka error codes ({@link ErrorCodes}), {@link ErrorCodes#NONE} when valid. Not
 * thread-safe; allocates nothing.
 */
public final class RecordBatchValidator
{
    private final RecordBatchFlyweight batch = new RecordBatchFlyweight();
    private int batchCount;
    private int recordCount;
    private int failedBatchIndex;

    /**
     * Validate every batch in {@code [offset, offset + length)} of {@code buffer}.
     *
     * @param maxBatchBytes largest total size one batch may have ({@code message.max.bytes}).
     * @return {@link ErrorCodes#NONE}, {@link ErrorCodes#CORRUPT_MESSAGE} for framing or CRC damage,
     * {@link ErrorCodes#INVALID_RECORD} for a batch whose contents contradict its header,
     * {@link ErrorCodes#UNSUPPORTED_FOR_MESSAGE_FORMAT} for a magic other than 2, or
     * {@link ErrorCodes#MESSAGE_TOO_LARGE}.
     */
    public short validate(final DirectBuffer buffer, final int offset, final int length, final int maxBatchBytes)
    {
        batchCount = 0;
        recordCount = 0;
        failedBatchIndex = -1;
        if (length <= 0)
        {
            return fail(ErrorCodes.CORRUPT_MESSAGE);
        }

        final int end = offset + length;
        int position = offset;
        while (position < end)
        {
            final int remaining = end - position;
            if (remaining < RecordBatchFlyweight.HEADER_LENGTH)
            {
                return fail(ErrorCodes.CORRUPT_MESSAGE);
            }
            batch.wrap(buffer, position);
            final int batchLength = batch.batchLength();
            if (batchLength < RecordBatchFlyweight.HEADER_LENGTH - RecordBatchFlyweight.LOG_OVERHEAD ||
                batchLength > remaining - RecordBatchFlyweight.LOG_OVERHEAD)
            {
                return fail(ErrorCodes.CORRUPT_MESSAGE);
            }
            if (batch.magic() != RecordBatchFlyweight.MAGIC_V2)
            {
                return fail(ErrorCodes.UNSUPPORTED_FOR_MESSAGE_FORMAT);
            }
            final int totalLength = batch.totalLength();
            if (totalLength > maxBatchBytes)
            {
                return fail(ErrorCodes.MESSAGE_TOO_LARGE);
            }
            if (batch.computeCrc() != batch.crc())
            {
                return fail(ErrorCodes.CORRUPT_MESSAGE);
            }
            final short countCheck = checkRecordCount(buffer, position, totalLength);
            if (countCheck != ErrorCodes.NONE)
            {
                return fail(countCheck);
            }
            recordCount += batch.recordCount();
            batchCount++;
            position += totalLength;
        }
        return ErrorCodes.NONE;
    }

    /** Batches seen by the last {@link #validate} call, up to the first bad one. */
    public int batchCount()
    {
        return batchCount;
    }

    /** Records in the valid batches of the last {@link #validate} call. */
    public int recordCount()
    {
        return recordCount;
    }

    /** Index of the first invalid batch of the last call, or -1 when all were valid. */
    public int failedBatchIndex()
    {
        return failedBatchIndex;
    }

    private short fail(final short code)
    {
        failedBatchIndex = batchCount;
        return code;
    }

    private short checkRecordCount(final DirectBuffer buffer, final int batchOffset, final int totalLength)
    {
        final int declared = batch.recordCount();
        if (declared <= 0 || batch.lastOffsetDelta() != declared - 1)
        {
            return ErrorCodes.INVALID_RECORD;
        }
        if (batch.compressionType() != 0)
        {
            // Compressed records are stored untouched; their count is only checkable by decompressing.
            return ErrorCodes.NONE;
        }
        final int end = batchOffset + totalLength;
        int position = batchOffset + RecordBatchFlyweight.RECORDS_OFFSET;
        int found = 0;
        while (position < end)
        {
            final long lengthAndSize = Varints.readZigZagInt(buffer, position, end);
            if (lengthAndSize == Varints.MALFORMED)
            {
                return ErrorCodes.INVALID_RECORD;
            }
            final int recordLength = Varints.value(lengthAndSize);
            if (recordLength < 0 || recordLength > end - position)
            {
                return ErrorCodes.INVALID_RECORD;
            }
            position += Varints.size(lengthAndSize) + recordLength;
            found++;
        }
        return position == end && found == declared ? ErrorCodes.NONE : ErrorCodes.INVALID_RECORD;
    }
}
