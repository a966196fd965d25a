package org.sstorchestrator.states;

import java.util.regex.Pattern;

/**
 * What a joiner in a VERIFY ssl-mode puts before '@' in its address: {@code <CN>:<secret>}.
 * mysqld hands it to the donor as WSREP_SST_OPT_REMOTE_AUTH; it comes from the other node.
 */
public record RemoteAuth(String commonName, Secret secret) {

    private static final Pattern CN = Pattern.compile("[A-Za-z0-9*][A-Za-z0-9._*-]{0,63}|");
    private static final Pattern SECRET = Pattern.compile("[0-9A-Fa-f]{1,128}");

    public static RemoteAuth parse(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        int colon = value.indexOf(':');
        String cn = colon < 0 ? value : value.substring(0, colon);
        String secret = colon < 0 ? "" : value.substring(colon + 1);
        if (!CN.matcher(cn).matches() || !(secret.isEmpty() || SECRET.matcher(secret).matches())) {
            throw new SstException(ExitCode.EINVAL, "WSREP_SST_OPT_REMOTE_AUTH from the joiner is not <CN>:<hex secret>"
                    + " (value withheld; it may hold a secret)");
        }
        return new RemoteAuth(cn, Secret.of(secret));
    }
}
