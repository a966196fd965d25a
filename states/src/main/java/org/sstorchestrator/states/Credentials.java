package org.sstorchestrator.states;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

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
     * Reads {@code sst_user=}/{@code sst_password=} lines when stdin carries them. Only what is
     * already written (after a short grace period) is read, so a stdin pipe that mysqld keeps
     * open without writing never blocks the SST.
     */
    public static Credentials fromStdin(InputStream in, long graceMs) {
        try {
            long deadline = System.currentTimeMillis() + graceMs;
            while (in.available() <= 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            StringBuilder text = new StringBuilder();
            byte[] buf = new byte[4096];
            while (in.available() > 0) {
                int n = in.read(buf, 0, Math.min(buf.length, in.available()));
                if (n <= 0) {
                    break;
                }
                text.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
            String user = null;
            String password = null;
            for (String line : text.toString().split("\n")) {
                if (line.startsWith("sst_user=")) {
                    user = line.substring("sst_user=".length());
                } else if (line.startsWith("sst_password=")) {
                    password = line.substring("sst_password=".length());
                }
            }
            return user == null ? null : new Credentials(user, Secret.of(password));
        } catch (IOException e) {
            return null;
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
