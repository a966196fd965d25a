package org.sstorchestrator.states.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.stock.StockLine;
import org.sstorchestrator.states.text.Secret;
import org.sstorchestrator.wire.openssl.OpensslEnc;

/**
 * encrypt=1: the stream through {@code openssl enc -<algo> -pbkdf2}, as the stock script runs
 * it, resolved from my.cnf: openssl's cipher name as configured, and the passphrase (from
 * {@code encrypt-key}, or the first line of {@code encrypt-key-file} as openssl's -kfile reads
 * it), masked wherever it is shown. The wire's {@link OpensslEnc} layer takes it.
 */
public record StreamEncryption(String algorithm, Secret passphrase, String keySource) {

    @Override
    public String toString() {
        return "openssl enc -" + algorithm + " (key from " + keySource + ")";
    }

    /** The layer of the wire that encrypts (sending) or decrypts (receiving) with these settings. */
    public OpensslEnc layer() {
        return new OpensslEnc(algorithm, passphrase::reveal);
    }

    /**
     * encrypt=1's options, checked as the stock script checks them (its lines and exit codes)
     * and, where the stock script would only fail mid-transfer, at once: an unknown cipher,
     * a key file whose first line openssl would refuse.
     */
    public static StreamEncryption from(OptionFiles cnf) {
        String format = Opt.ENCRYPT_FORMAT.valueOrDefault(cnf);
        if (format.equals("xbcrypt")) {
            throw StockLine.XBCRYPT_MISSING.failure(ExitCode.ENOENT, " (encrypt-format = 'xbcrypt' is not supported by"
                    + " mariabackup_sm: xbcrypt is not packaged for Debian 12; set encrypt-format=openssl, the default, on"
                    + " every node)");
        }
        if (!format.equals("openssl")) {
            throw StockLine.UNKNOWN_ENCRYPTION_FORMAT.failure(ExitCode.ENOENT, " (encrypt-format = '" + printable(format)
                    + "': expected openssl)", printable(format));
        }
        String algo = Opt.ENCRYPT_ALGO.value(cnf).orElseThrow(() -> StockLine.ENCRYPTION_ALGORITHM_EMPTY.failure(
                ExitCode.INTERRUPTED, " (encrypt=1 needs encrypt-algo, e.g. aes-256-cbc)"));
        if (!OpensslEnc.supports(algo)) {
            throw new SstException(ExitCode.EINVAL, "encrypt-algo = '" + printable(algo) + "' is not supported: expected"
                    + " one of openssl's AES ciphers " + String.join(", ", new java.util.TreeSet<>(OpensslEnc.names())));
        }
        Optional<String> key = Opt.ENCRYPT_KEY.value(cnf);
        if (key.isPresent()) {
            return new StreamEncryption(algo, bytes(key.get().getBytes(StandardCharsets.UTF_8), key.get().length() * 4), "encrypt-key");
        }
        Optional<String> file = Opt.ENCRYPT_KEY_FILE.value(cnf);
        if (file.isEmpty() || !Files.isReadable(Path.of(file.get())) || Files.isDirectory(Path.of(file.get()))) {
            throw StockLine.EITHER_KEY_OR_KEYFILE.failure(ExitCode.INTERRUPTED, file.map(f -> " (encrypt-key-file = '" + printable(f) + "' cannot be read by this user)")
                            .orElse(" (encrypt=1 needs encrypt-key or encrypt-key-file)"));
        }
        return new StreamEncryption(algo, firstLine(Path.of(file.get())), "encrypt-key-file " + file.get());
    }

    /**
     * The passphrase openssl's {@code -kfile} takes: at most the first 127 bytes, up to the
     * first newline, without the trailing CR/LF, up to a NUL; openssl refuses a passphrase it
     * reads as shorter than 2 bytes with "zero length password" (its loop never looks at the
     * first byte), so do we, before the transfer.
     */
    static Secret firstLine(Path file) {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(127);
        } catch (IOException e) {
            throw StockLine.EITHER_KEY_OR_KEYFILE.failure(ExitCode.INTERRUPTED, " (encrypt-key-file " + file + ": " + e.getMessage() + ")");
        }
        int n = 0;
        while (n < head.length && head[n] != '\n') {
            n++;
        }
        int i = Math.min(n + 1, head.length); // the bytes BIO_gets gives: the line with its newline
        while (--i > 0 && (head[i] == '\r' || head[i] == '\n')) {
            head[i] = 0;
        }
        int end = 0;
        while (end < head.length && head[end] != 0 && end <= i) {
            end++;
        }
        if (i <= 0 || end == 0) {
            throw StockLine.EITHER_KEY_OR_KEYFILE.failure(ExitCode.INTERRUPTED, " (encrypt-key-file " + file + ": its first line gives openssl a zero length password)");
        }
        return bytes(head, end);
    }

    /** The passphrase as openssl takes it, bytes (ISO-8859-1 maps each to one char, so no byte is re-encoded). */
    private static Secret bytes(byte[] b, int len) {
        return Secret.of(new String(b, 0, Math.min(len, b.length), StandardCharsets.ISO_8859_1));
    }

    private static String printable(String v) {
        return org.sstorchestrator.states.args.SstAddress.printable(v);
    }
}
