package io.sluice.broker.nativ;

import io.sluice.codecs.sbe.CommitOffsetsRequestDecoder;
import io.sluice.codecs.sbe.CommitOffsetsResponseEncoder;
import io.sluice.codecs.sbe.CreateTopicsRequestDecoder;
import io.sluice.codecs.sbe.CreateTopicsResponseEncoder;
import io.sluice.codecs.sbe.DeleteTopicsRequestDecoder;
import io.sluice.codecs.sbe.DeleteTopicsResponseEncoder;
import io.sluice.codecs.sbe.ErrorResponseEncoder;
import io.sluice.codecs.sbe.FetchOffsetsRequestDecoder;
import io.sluice.codecs.sbe.FetchOffsetsResponseEncoder;
import io.sluice.codecs.sbe.FetchRequestDecoder;
import io.sluice.codecs.sbe.FetchResponseEncoder;
import io.sluice.codecs.sbe.InitProducerIdRequestDecoder;
import io.sluice.codecs.sbe.InitProducerIdResponseEncoder;
import io.sluice.codecs.sbe.ListOffsetsRequestDecoder;
import io.sluice.codecs.sbe.ListOffsetsResponseEncoder;
import io.sluice.codecs.sbe.MessageHeaderDecoder;
import io.sluice.codecs.sbe.MessageHeaderEncoder;
import io.sluice.codecs.sbe.MetadataRequestDecoder;
import io.sluice.codecs.sbe.MetadataResponseEncoder;
import io.sluice.codecs.sbe.ProduceRequestDecoder;
import io.sluice.codecs.sbe.ProduceResponseEncoder;
import io.sluice.transport.ResponseFrame;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Every SBE flyweight the native door uses, one set per thread (event loops decode, shards and the conductor
 * encode), so nothing is allocated per request. Not thread-safe: reach it through {@link #get()}.
 */
final class NativeCodecs
{
    private static final ThreadLocal<NativeCodecs> PER_THREAD = ThreadLocal.withInitial(NativeCodecs::new);

    /** Where a request or response body starts: after the message header. */
    static final int BODY_OFFSET = MessageHeaderDecoder.ENCODED_LENGTH;

    final UnsafeBuffer frame = new UnsafeBuffer(0, 0);
    final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();

    final ProduceRequestDecoder produceRequest = new ProduceRequestDecoder();
    final ProduceResponseEncoder produceResponse = new ProduceResponseEncoder();
    final FetchRequestDecoder fetchRequest = new FetchRequestDecoder();
    final FetchResponseEncoder fetchResponse = new FetchResponseEncoder();
    final ListOffsetsRequestDecoder listOffsetsRequest = new ListOffsetsRequestDecoder();
    final ListOffsetsResponseEncoder listOffsetsResponse = new ListOffsetsResponseEncoder();
    final MetadataRequestDecoder metadataRequest = new MetadataRequestDecoder();
    final MetadataResponseEncoder metadataResponse = new MetadataResponseEncoder();
    final CreateTopicsRequestDecoder createTopicsRequest = new CreateTopicsRequestDecoder();
    final CreateTopicsResponseEncoder createTopicsResponse = new CreateTopicsResponseEncoder();
    final DeleteTopicsRequestDecoder deleteTopicsRequest = new DeleteTopicsRequestDecoder();
    final DeleteTopicsResponseEncoder deleteTopicsResponse = new DeleteTopicsResponseEncoder();
    final InitProducerIdRequestDecoder initProducerIdRequest = new InitProducerIdRequestDecoder();
    final InitProducerIdResponseEncoder initProducerIdResponse = new InitProducerIdResponseEncoder();
    final CommitOffsetsRequestDecoder commitOffsetsRequest = new CommitOffsetsRequestDecoder();
    final CommitOffsetsResponseEncoder commitOffsetsResponse = new CommitOffsetsResponseEncoder();
    final FetchOffsetsRequestDecoder fetchOffsetsRequest = new FetchOffsetsRequestDecoder();
    final FetchOffsetsResponseEncoder fetchOffsetsResponse = new FetchOffsetsResponseEncoder();
    final ErrorResponseEncoder errorResponse = new ErrorResponseEncoder();

    static NativeCodecs get()
    {
        return PER_THREAD.get();
    }

    /**
     * The length of a response whose body {@code encodedLength} bytes long follows the message header at the
     * start of {@code frame}'s buffer; sets it on the frame.
     */
    static ResponseFrame finish(final ResponseFrame frame, final int encodedLength)
    {
        return frame.length(MessageHeaderEncoder.ENCODED_LENGTH + encodedLength);
    }
}
