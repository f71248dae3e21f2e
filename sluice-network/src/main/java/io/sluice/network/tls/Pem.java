package io.sluice.network.tls;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM text (RFC 7468): blocks of base64 between {@code -----BEGIN LABEL-----} and {@code -----END LABEL-----}. */
final class Pem {
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    static final String CERTIFICATE = "CERTIFICATE";
    static final String PRIVATE_KEY = "PRIVATE KEY";

    private Pem() {}

    /** One block: its label and its decoded bytes. */
    record Block(String label, byte[] der) {}

    /**
     * The blocks of {@code text} in order.
     *
     * @throws IllegalArgumentException if a block's body is not base64
     */
    static List<Block> read(String text) {
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2).strip())));
        }
        return blocks;
    }

    /** {@code der} as one PEM block under {@code label}, lines of 64 characters. */
    static String write(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }
}
