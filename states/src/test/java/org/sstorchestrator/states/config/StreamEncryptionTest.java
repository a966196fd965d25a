package org.sstorchestrator.states.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.wire.openssl.OpensslEnc;
import org.sstorchestrator.wire.openssl.OpensslEnc;

/**
 * encrypt=1 byte-compatible with the openssl the stock script runs on this platform
 * ({@code openssl enc -<algo> -pbkdf2 -k|-kfile ... [-d]}), both ways, for every cipher we
 * accept, and its options checked with the stock script's words and exit codes (issue 8).
 */
class StreamEncryptionTest {

    @TempDir
    Path dir;

    private static OptionFiles cnf(String... kv) {
        Map<String, Map<String, String>> g = new HashMap<>();
        for (String s : kv) {
            String[] p = s.split("=", 2);
            g.computeIfAbsent("sst", k -> new HashMap<>()).put(p[0], p[1]);
        }
        return new OptionFiles(g);
    }

    private static byte[] data(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static byte[] ours(OpensslEnc enc, byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream o = enc.sending(out)) {
            // in uneven pieces, as the copy loop writes them
            for (int i = 0; i < plain.length; i += 7777) {
                o.write(plain, i, Math.min(7777, plain.length - i));
            }
        }
        return out.toByteArray();
    }

    private static byte[] oursBack(OpensslEnc enc, byte[] cipher) throws IOException {
        try (InputStream in = enc.receiving(new ByteArrayInputStream(cipher))) {
            return in.readAllBytes();
        }
    }

    private byte[] openssl(byte[] input, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("openssl", "enc"));
        argv.addAll(List.of(args));
        Path in = Files.write(dir.resolve("in-" + System.nanoTime()), input);
        Path err = dir.resolve("err");
        Process p = new ProcessBuilder(argv).redirectInput(in.toFile()).redirectError(err.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor(), String.join(" ", argv) + ": " + Files.readString(err));
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"aes-256-cbc", "aes-128-cbc", "aes-192-cbc", "aes256", "AES128", "aes-256-ctr", "aes-128-ctr",
        "aes-256-cfb", "aes-128-cfb8", "aes-192-ofb", "aes-256-ecb"})
    void theStreamIsWhatOpensslEncPbkdf2MakesAndReadsBothWays(String algo) throws Exception {
        OpensslEnc enc = StreamEncryption.from(cnf("encrypt-algo=" + algo, "encrypt-key=S3cr:t@$!x Ünï")).layer();
        byte[] plain = data(1_000_003);
        byte[] ciphertext = ours(enc, plain);
        assertArrayEquals("Salted__".getBytes(StandardCharsets.US_ASCII), java.util.Arrays.copyOf(ciphertext, 8));
        // the stock joiner's command: openssl enc -<algo> -pbkdf2 -k <key> -d
        assertArrayEquals(plain, openssl(ciphertext, "-" + algo, "-pbkdf2", "-k", "S3cr:t@$!x Ünï", "-d"), algo);
        // the stock donor's command, read by us
        byte[] fromStock = openssl(plain, "-" + algo, "-pbkdf2", "-k", "S3cr:t@$!x Ünï");
        assertArrayEquals(plain, oursBack(enc, fromStock), algo);
    }

    @Test
    void eachStreamHasItsOwnSaltAsEachStockTransferRunsItsOwnOpenssl() throws Exception {
        OpensslEnc enc = StreamEncryption.from(cnf("encrypt-algo=aes-256-cbc", "encrypt-key=k")).layer();
        byte[] a = ours(enc, data(100));
        byte[] b = ours(enc, data(100));
        assertFalse(java.util.Arrays.equals(java.util.Arrays.copyOfRange(a, 8, 16), java.util.Arrays.copyOfRange(b, 8, 16)));
        assertEquals(16 + 112, a.length, "header, then 100 bytes padded to 7 blocks");
        assertEquals(16, ours(enc, new byte[0]).length - 16, "even an empty stream has its padding block");
    }

    @Test
    void theKeyFileIsReadAsOpensslKfileReadsIt() throws Exception {
        Path crlf = Files.write(dir.resolve("k1"), "line one\r\nline two\n".getBytes(StandardCharsets.UTF_8));
        Path noNewline = Files.write(dir.resolve("k2"), "just-a-key".getBytes(StandardCharsets.UTF_8));
        Path longLine = Files.write(dir.resolve("k3"), ("x".repeat(200) + "\n").getBytes(StandardCharsets.UTF_8));
        for (Path keyFile : List.of(crlf, noNewline, longLine)) {
            OpensslEnc enc = StreamEncryption.from(cnf("encrypt-algo=aes-256-ctr", "encrypt-key-file=" + keyFile)).layer();
            byte[] plain = data(4096);
            assertArrayEquals(plain, openssl(ours(enc, plain), "-aes-256-ctr", "-pbkdf2", "-kfile", keyFile.toString(), "-d"),
                    keyFile.toString());
        }
    }

    @Test
    void aKeyFileOpensslWouldReadAsEmptyIsRefusedBeforeTheTransfer() throws Exception {
        for (String content : new String[] {"\n", "a\n", ""}) {
            Path f = Files.writeString(dir.resolve("short" + content.length()), content);
            SstException e = assertThrows(SstException.class,
                    () -> StreamEncryption.from(cnf("encrypt-algo=aes-256-cbc", "encrypt-key-file=" + f)));
            assertEquals(ExitCode.INTERRUPTED, e.code());
            assertTrue(e.getMessage().contains("zero length password"), e.getMessage());
        }
    }

    @Test
    void anotherKeyIsABadDecryptThatSaysSo() throws Exception {
        byte[] ciphertext = openssl(data(5000), "-aes-256-cbc", "-pbkdf2", "-k", "right");
        OpensslEnc wrong = StreamEncryption.from(cnf("encrypt-algo=aes-256-cbc", "encrypt-key=wrong")).layer();
        IOException e = assertThrows(IOException.class, () -> oursBack(wrong, ciphertext));
        assertTrue(e.getMessage().startsWith("bad decrypt"), e.getMessage());
    }

    @Test
    void aCleartextStreamIsNotTakenForCiphertext() {
        OpensslEnc enc = StreamEncryption.from(cnf("encrypt-algo=aes-256-cbc", "encrypt-key=k")).layer();
        IOException e = assertThrows(IOException.class, () -> oursBack(enc, "XBSTCK01 cleartext".getBytes()));
        assertTrue(e.getMessage().contains("not openssl enc output"), e.getMessage());
    }

    @Test
    void theOptionsAreCheckedWithTheStockWordsAndCodes() {
        SstException algo = assertThrows(SstException.class, () -> StreamEncryption.from(cnf("encrypt-key=k")));
        assertEquals(ExitCode.INTERRUPTED, algo.code());
        assertTrue(algo.getMessage().startsWith("FATAL: Encryption algorithm empty from my.cnf, bailing out"));
        SstException key = assertThrows(SstException.class, () -> StreamEncryption.from(cnf("encrypt-algo=aes256")));
        assertEquals(ExitCode.INTERRUPTED, key.code());
        assertTrue(key.getMessage().startsWith("FATAL: Either key must be specified or keyfile must be readable"));
        SstException unreadable = assertThrows(SstException.class, () -> StreamEncryption.from(cnf("encrypt-algo=aes256",
                "encrypt-key-file=" + dir.resolve("none"))));
        assertTrue(unreadable.getMessage().contains("encrypt-key-file = '" + dir.resolve("none") + "'"));
        SstException xb = assertThrows(SstException.class, () -> StreamEncryption.from(cnf("encrypt-format=xbcrypt",
                "encrypt-algo=AES256", "encrypt-key=k")));
        assertEquals(ExitCode.ENOENT, xb.code());
        assertTrue(xb.getMessage().startsWith("If encryption using the xbcrypt is enabled, then you need to install xbcrypt"));
        assertTrue(xb.getMessage().contains("encrypt-format=openssl"), "it says what to do: " + xb.getMessage());
        SstException cipher = assertThrows(SstException.class, () -> StreamEncryption.from(cnf("encrypt-algo=des-ede3-cbc",
                "encrypt-key=k")));
        assertEquals(ExitCode.EINVAL, cipher.code());
        assertTrue(cipher.getMessage().contains("encrypt-algo = 'des-ede3-cbc' is not supported"), cipher.getMessage());
    }

    @Test
    void thePassphraseNeverShowsInTheSettingsOrTheLayer() {
        StreamEncryption s = StreamEncryption.from(cnf("encrypt-algo=aes-256-cbc", "encrypt-key=canary-key-42"));
        assertFalse(s.toString().contains("canary-key-42"), s.toString());
        assertFalse(s.layer().name().contains("canary-key-42"));
    }
}
