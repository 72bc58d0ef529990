package org.eveflow.ingest;

import io.netty.buffer.ByteBuf;
import org.eveflow.event.EveEvent;

/** A decoded event with its raw line (no line ending); whoever receives it releases {@code line}. */
record DecodedLine(EveEvent event, ByteBuf line) {
}
