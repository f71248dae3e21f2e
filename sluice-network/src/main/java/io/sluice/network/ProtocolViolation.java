package io.sluice.network;

/**
 * A peer sent what the protocol does not allow (a frame too long, of an unknown type, out of sequence, beyond its
 * credit, ...). Its connection is closed, with one log line naming the peer and this message: whatever else it sent
 * cannot be trusted to be framed correctly.
 */
final class ProtocolViolation extends RuntimeException {
    ProtocolViolation(String message) {
        super(message, null, false, false);
    }
}
