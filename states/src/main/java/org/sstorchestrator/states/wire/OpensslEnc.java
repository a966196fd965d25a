package org.sstorchestrator.states.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.Secret;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.config.Opt;
import org.sstorchestrator.states.config.OptionFiles;
import org.sstorchestrator.states.stock.StockLine;

/**
 * encrypt=1: the stream as {@code openssl enc -<algo> -pbkdf2 -k <key>} writes it on this
 * platform (OpenSSL 3.0, which lists -pbkdf2, so the stock script passes it): the 8 bytes
 * {@code Salted__}, an 8-byte random salt, then the ciphertext under a key and IV derived
 * from the passphrase with PBKDF2-HMAC-SHA256, 10000 iterations (openssl's defaults);
 * block modes padded as PKCS#7. Byte-compatible both ways with the stock script's openssl,
 * each transfer with its own salt, as each stock transfer runs its own openssl.
 *
 * <p>The key derivation is BouncyCastle's (it takes the passphrase's bytes exactly as
 * openssl does); the cipher is the JDK's, which uses AES-NI: measured on this machine,
 * 0.44-1.1 GB/s against 0.12-0.19 GB/s for BouncyCastle's AESEngine, which would cap the
 * SST below its 90-160 MB/s and take a core from mariadb-backup. The passphrase never
 * leaves the process: no argv (the stock script passes it with -k), no log, no history.
 */
public final class OpensslEnc implements WireLayer {

    static final byte[] MAGIC = "Salted__".getBytes(StandardCharsets.US_ASCII);
    static final int ITERATIONS = 10_000;
    private static final int BUFFER = 1 << 16;

    /** openssl's cipher names (as {@code openssl enc -list} gives them) that we speak, and the JDK's form. */
    private static final Map<String, Algorithm> ALGORITHMS = algorithms();

    /** A cipher: the JDK transformation, key and IV lengths in bytes. */
    record Algorithm(String transformation, int keyBytes, int ivBytes) {
    }

    /** encrypt=1's settings: openssl's cipher name as configured, and the passphrase. */
    public record Settings(String algorithm, Secret passphrase, String keySource) {
        @Override
        public String toString() {
            return "openssl enc -" + algorithm + " (key from " + keySource + ")";
        }
    }

    private final Settings settings;
    private final Algorithm algorithm;
    private final SecureRandom random = new SecureRandom();

    public OpensslEnc(Settings settings) {
        this.settings = settings;
        this.algorithm = ALGORITHMS.get(settings.algorithm().toLowerCase(Locale.ROOT));
    }

    /**
     * encrypt=1's options, checked as the stock script checks them (its lines and exit codes)
     * and, where the stock script would only fail mid-transfer, at once: an unknown cipher,
     * a key file whose first line openssl would refuse.
     */
    public static Settings settings(OptionFiles cnf) {
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
        if (!ALGORITHMS.containsKey(algo.toLowerCase(Locale.ROOT))) {
            throw new SstException(ExitCode.EINVAL, "encrypt-algo = '" + printable(algo) + "' is not supported: expected"
                    + " one of openssl's AES ciphers " + String.join(", ", new java.util.TreeSet<>(ALGORITHMS.keySet())));
        }
        Optional<String> key = Opt.ENCRYPT_KEY.value(cnf);
        if (key.isPresent()) {
            return new Settings(algo, bytes(key.get().getBytes(StandardCharsets.UTF_8), key.get().length() * 4), "encrypt-key");
        }
        Optional<String> file = Opt.ENCRYPT_KEY_FILE.value(cnf);
        if (file.isEmpty() || !Files.isReadable(Path.of(file.get())) || Files.isDirectory(Path.of(file.get()))) {
            throw StockLine.EITHER_KEY_OR_KEYFILE.failure(ExitCode.INTERRUPTED, file.map(f -> " (encrypt-key-file = '" + printable(f) + "' cannot be read by this user)")
                            .orElse(" (encrypt=1 needs encrypt-key or encrypt-key-file)"));
        }
        return new Settings(algo, firstLine(Path.of(file.get())), "encrypt-key-file " + file.get());
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

    private static Map<String, Algorithm> algorithms() {
        Map<String, Algorithm> m = new java.util.HashMap<>();
        for (int bits : new int[] {128, 192, 256}) {
            int k = bits / 8;
            String p = "aes-" + bits + "-";
            m.put(p + "cbc", new Algorithm("AES/CBC/PKCS5Padding", k, 16));
            m.put("aes" + bits, m.get(p + "cbc"));
            m.put(p + "ecb", new Algorithm("AES/ECB/PKCS5Padding", k, 0));
            m.put(p + "ctr", new Algorithm("AES/CTR/NoPadding", k, 16));
            m.put(p + "cfb", new Algorithm("AES/CFB/NoPadding", k, 16));
            m.put(p + "cfb8", new Algorithm("AES/CFB8/NoPadding", k, 16));
            m.put(p + "ofb", new Algorithm("AES/OFB/NoPadding", k, 16));
        }
        return Map.copyOf(m);
    }

    @Override
    public String name() {
        return "openssl enc -" + settings.algorithm().toLowerCase(Locale.ROOT) + " -pbkdf2";
    }

    @Override
    public OutputStream sending(OutputStream toPeer) throws IOException {
        byte[] salt = new byte[8];
        random.nextBytes(salt);
        Cipher c = cipher(Cipher.ENCRYPT_MODE, salt);
        return new Encrypting(toPeer, c, salt);
    }

    @Override
    public InputStream receiving(InputStream fromPeer) {
        return new Decrypting(fromPeer);
    }

    /** Key and IV from the passphrase and salt, as openssl enc -pbkdf2 derives them. */
    private Cipher cipher(int mode, byte[] salt) throws IOException {
        PKCS5S2ParametersGenerator kdf = new PKCS5S2ParametersGenerator(new SHA256Digest());
        byte[] pass = settings.passphrase().reveal().getBytes(StandardCharsets.ISO_8859_1);
        kdf.init(pass, salt, ITERATIONS);
        byte[] keyIv = ((KeyParameter) kdf.generateDerivedMacParameters((algorithm.keyBytes() + algorithm.ivBytes()) * 8))
                .getKey();
        Arrays.fill(pass, (byte) 0);
        try {
            Cipher c = Cipher.getInstance(algorithm.transformation());
            SecretKeySpec key = new SecretKeySpec(keyIv, 0, algorithm.keyBytes(), "AES");
            if (algorithm.ivBytes() == 0) {
                c.init(mode, key);
            } else {
                c.init(mode, key, new IvParameterSpec(keyIv, algorithm.keyBytes(), algorithm.ivBytes()));
            }
            return c;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up " + name() + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(keyIv, (byte) 0);
        }
    }

    /** Writes the header first, ciphertext as it comes, and the final (padded) block on close. */
    private static final class Encrypting extends OutputStream {
        private final OutputStream out;
        private final Cipher cipher;
        private final byte[] salt;
        private boolean started;
        private boolean closed;

        Encrypting(OutputStream out, Cipher cipher, byte[] salt) {
            this.out = out;
            this.cipher = cipher;
            this.salt = salt;
        }

        private void start() throws IOException {
            if (!started) {
                started = true;
                byte[] header = Arrays.copyOf(MAGIC, 16);
                System.arraycopy(salt, 0, header, 8, 8);
                out.write(header);
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            start();
            byte[] c = cipher.update(b, off, len);
            if (c != null && c.length > 0) {
                out.write(c);
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                start();
                out.write(cipher.doFinal());
                out.flush();
            } catch (GeneralSecurityException e) {
                throw new IOException("encrypting the stream failed: " + e.getMessage(), e);
            } finally {
                out.close();
            }
        }
    }

    /**
     * Checks the header, then decrypts; a stream that is not openssl enc output, or whose last
     * block does not unpad (another key or cipher), is an I/O error that says so.
     */
    private final class Decrypting extends InputStream {
        private final InputStream in;
        private final byte[] raw = new byte[BUFFER];
        private Cipher cipher;
        private byte[] plain = new byte[0];
        private int pos;
        private boolean finished;

        Decrypting(InputStream in) {
            this.in = in;
        }

        private void start() throws IOException {
            byte[] header = in.readNBytes(16);
            if (header.length < 16 || !Arrays.equals(Arrays.copyOf(header, 8), MAGIC)) {
                throw new IOException("the peer's stream is not openssl enc output (it does not begin with 'Salted__'"
                        + (header.length == 0 ? "; it is empty" : "") + "): is encrypt=1 set on both nodes?");
            }
            cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOfRange(header, 8, 16));
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (cipher == null) {
                start();
            }
            while (pos >= plain.length) {
                if (finished) {
                    return -1;
                }
                int n = in.read(raw);
                try {
                    if (n < 0) {
                        finished = true;
                        plain = cipher.doFinal();
                    } else {
                        byte[] p = cipher.update(raw, 0, n);
                        plain = p == null ? new byte[0] : p;
                    }
                } catch (GeneralSecurityException e) {
                    throw new IOException("bad decrypt: the last block of the peer's stream does not decrypt with this"
                            + " node's encrypt-key and encrypt-algo (" + settings.algorithm() + "); they must be the"
                            + " same on both nodes", e);
                }
                pos = 0;
            }
            int k = Math.min(len, plain.length - pos);
            System.arraycopy(plain, pos, b, off, k);
            pos += k;
            return k;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private static String printable(String v) {
        return org.sstorchestrator.states.SstAddress.printable(v);
    }
}
