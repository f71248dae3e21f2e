package io.sluice.runtime.checkpoint.storage;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;

/** Where a completed checkpoint's files are read from: one implementation per kind of storage. */
interface StateFileSource {

    /** The file's full path or address, for messages. */
    String describe(StateFileHandle file);

    /** The file's current size; {@link java.nio.file.NoSuchFileException} if it is missing. */
    long size(StateFileHandle file) throws IOException;

    /** Opens the file for reading; {@link java.nio.file.NoSuchFileException} if it is missing. */
    ReadableByteChannel open(StateFileHandle file) throws IOException;
}
