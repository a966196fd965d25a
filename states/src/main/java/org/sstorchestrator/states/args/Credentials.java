package org.sstorchestrator.states.args;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.sstorchestrator.states.text.Secret;

/**
 * The SST user and password. Sources, first found wins: {@code sst_user=}/{@code sst_password=}
 * lines on stdin (newer mysqld builds write them to the donor and close stdin), the
 * environment variable WSREP_SST_OPT_AUTH ({@code user:password}, split at the first ':'),
 * then [sst] wsrep-sst-auth. mysqld writes "(null)" when nothing is set.
 */
public record Credentials(String user, Secret password) {

    public static final Credentials NONE = new Credentials("", Secret.EMPTY);

    public static Credentials resolve(Map<String, String> env, Secret configured, Credentials fromStdin) {
        if (fromStdin != null && !fromStdin.user().isEmpty()) {
            return fromStdin;
        }
        String auth = env.getOrDefault("WSREP_SST_OPT_AUTH", "");
        if (auth.isEmpty() || auth.equals("(null)")) {
            auth = configured == null ? "" : configured.reveal();
        }
        if (auth.isEmpty() || auth.equals("(null)")) {
            return NONE;
        }
        int colon = auth.indexOf(':');
        return colon < 0 ? new Credentials(auth, Secret.EMPTY)
                : new Credentials(auth.substring(0, colon), Secret.of(auth.substring(colon + 1)));
    }

    /**
     * Reads {@code sst_user=}/{@code sst_password=} lines when stdin carries them: until stdin
     * ends, or for at most {@code graceMs}, whichever comes first. A closed stdin (systemd's
     * /dev/null, or mysqld having written and closed it) costs no wait; a pipe that mysqld keeps
     * open without writing costs the grace and never blocks the SST (the reader is a daemon).
     */
    public static Credentials fromStdin(InputStream in, long graceMs) {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        CountDownLatch ended = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    synchronized (read) {
                        read.write(buf, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // a broken stdin carries no credentials
            } finally {
                ended.countDown();
            }
        }, "stdin");
        reader.setDaemon(true);
        reader.start();
        try {
            ended.await(graceMs, TimeUnit.MILLISECONDS);
            String text;
            synchronized (read) {
                text = read.toString(StandardCharsets.UTF_8);
            }
            String user = null;
            String password = null;
            for (String line : text.split("\n")) {
                if (line.startsWith("sst_user=")) {
                    user = line.substring("sst_user=".length());
                } else if (line.startsWith("sst_password=")) {
                    password = line.substring("sst_password=".length());
                }
            }
            return user == null ? null : new Credentials(user, Secret.of(password));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=" + password + "]";
    }
}
