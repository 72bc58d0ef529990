package org.eveflow.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AggregateEncoderTest {
    @Test
    void encodesFeversShapePlusFlowCount() {
        FlowRecord r = new FlowRecord();
        r.timestamp = "2026-11-28T10:00:00.123456+0000";
        r.listPort(51234);
        r.listPort(51240);
        r.flowCount = 2;
        r.pktsToServer = 12;
        r.pktsToClient = 10;
        r.bytesToServer = 1500;
        r.bytesToClient = 9000;
        byte[] line = new AggregateEncoder().encode(new FlowKey("10.0.0.1", "10.0.0.2", 443), r);
        assertThat(new String(line, StandardCharsets.UTF_8)).isEqualTo(
                "{\"timestamp\":[\"2026-11-28T10:00:00.123456+0000\"],\"event_type\":\"flow\",\"src_ip\":\"10.0.0.1\","
                + "\"src_port\":[51234,51240],\"dest_ip\":\"10.0.0.2\",\"dest_port\":443,"
                + "\"flow\":{\"pkts_toserver\":12,\"pkts_toclient\":10,\"bytes_toserver\":1500,\"bytes_toclient\":9000},"
                + "\"flow_count\":2}\n");
    }

    @Test
    void escapesAddressesAndKeepsPortZero() {
        FlowRecord r = new FlowRecord();
        r.timestamp = "t";
        r.flowCount = 1;
        r.listPort(0);
        String s = new String(new AggregateEncoder().encode(new FlowKey("a\"b", "c\\d", 0), r), StandardCharsets.UTF_8);
        assertThat(s).contains("\"src_ip\":\"a\\\"b\"", "\"dest_ip\":\"c\\\\d\"", "\"dest_port\":0", "\"src_port\":[0]");
    }
}
