package org.eveflow.ingest;

/**
 * Where the input's Suricata stats records (event_type "stats") go, each as the line's bytes: the
 * daemon connects it to the stats package's reader, which ingest does not know. Called from the
 * decode threads; must not block.
 */
@FunctionalInterface
public interface StatsRecordSink {
    void offer(byte[] line, int offset, int length);
}
