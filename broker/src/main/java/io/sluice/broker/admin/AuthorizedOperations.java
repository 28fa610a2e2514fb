package io.sluice.broker.admin;

import org.apache.kafka.common.acl.AclOperation;

/**
 * The authorized-operations bit fields Kafka answers with when it has no authorizer: every operation the
 * resource type supports (Kafka's {@code AclEntry.supportedOperations}), one bit per {@link AclOperation} code.
 */
final class AuthorizedOperations
{
    /** What the schemas default to when the client did not ask. */
    static final int OMITTED = Integer.MIN_VALUE;

    static final int TOPIC = bits(
        AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE, AclOperation.DESCRIBE, AclOperation.DELETE,
        AclOperation.ALTER, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);

    static final int CLUSTER = bits(
        AclOperation.CREATE, AclOperation.CLUSTER_ACTION, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS,
        AclOperation.IDEMPOTENT_WRITE, AclOperation.ALTER, AclOperation.DESCRIBE);

    private AuthorizedOperations()
    {
    }

    private static int bits(final AclOperation... operations)
    {
        int bits = 0;
        for (final AclOperation operation : operations)
        {
            bits |= 1 << operation.code();
        }
        return bits;
    }
}
