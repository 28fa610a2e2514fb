package io.sluice.broker.group;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * A group member in a process of its own, for a test to kill: joins {@code args[1]} on {@code args[0]}, consumes
 * {@code args[2]}, and prints "assigned N" whenever its assignment changes size. Runs until killed.
 */
public final class GroupMemberProcess
{
    private GroupMemberProcess()
    {
    }

    public static void main(final String[] args)
    {
        final Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, args[1]);
        properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "2000");
        properties.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "300");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties))
        {
            consumer.subscribe(List.of(args[2]));
            int assigned = -1;
            while (true)
            {
                consumer.poll(Duration.ofMillis(100));
                if (consumer.assignment().size() != assigned)
                {
                    assigned = consumer.assignment().size();
                    System.out.println("assigned " + assigned);
                    System.out.flush();
                }
            }
        }
    }
}
