package io.sightline.schemas;

/** Layout of a Confluent wire-format record: magic byte 0, 4-byte big-endian schema id, Avro binary body. */
final class ConfluentWireFormat {
    static final byte MAGIC_BYTE = 0;
    static final int HEADER_SIZE = 1 + Integer.BYTES;

    private ConfluentWireFormat() {
    }
}
