package org.sstorchestrator.states.tls;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.sstorchestrator.states.args.RemoteAuth;
import org.sstorchestrator.states.config.Encrypt;
import org.sstorchestrator.states.config.SslMode;
import org.sstorchestrator.states.config.TlsSettings;

/**
 * Which name the donor checks in the joiner's certificate, and how, as the stock donor tells
 * socat ({@code commonname=}, docs/wire-protocol.md#tls): only with a CA to verify
 * against; none (the chain only) in VERIFY_CA, else the CN the joiner sent, else none with
 * encrypt=4, else {@code localhost} for a local joiner or the joiner's host; sockopt's
 * commonname= before all of it (issue 19). A name matches
 * as socat matches it: a subjectAltName DNS entry, then the first CN, each possibly a
 * {@code *.domain} wildcard (which matches the domain itself and one label below it); an IP
 * address also matches a subjectAltName IP entry. DNS names compare without case.
 */
public final class PeerName {

    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|\\[?[0-9A-Fa-f:.]+\\]?");

    private PeerName() {
    }

    /** The name the donor requires of the joiner's certificate; empty: the chain alone is checked. */
    public static Optional<String> expected(TlsSettings donor, RemoteAuth auth, String joinerHost) {
        if (!donor.tls() || !donor.verifiesPeer()) {
            return Optional.empty();
        }
        if (donor.options().peerName().isPresent()) { // sockopt's commonname=, '' for the chain alone
            return donor.options().peerName().filter(n -> !n.isEmpty());
        }
        if (donor.encrypt() == Encrypt.TLS_PEM_AND_CA || donor.mode() == SslMode.VERIFY_CA) {
            return Optional.empty();
        }
        if (auth != null && !auth.commonName().isEmpty()) {
            return Optional.of(auth.commonName());
        }
        if (donor.encrypt() == Encrypt.TLS_KEY_CERT_AND_CA) {
            return Optional.empty();
        }
        String host = joinerHost.startsWith("[") ? joinerHost.substring(1, joinerHost.length() - 1) : joinerHost;
        return Optional.of(isLocal(host) ? "localhost" : host);
    }

    /** The stock is_local_ip: loopback, this host's names, and any address of this host's interfaces. */
    static boolean isLocal(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.equals("::1") || h.startsWith("127.")) {
            return true;
        }
        try {
            InetAddress self = InetAddress.getLocalHost();
            String full = self.getCanonicalHostName().toLowerCase(Locale.ROOT);
            String shortName = self.getHostName().toLowerCase(Locale.ROOT);
            if (h.equals(full) || h.equals(shortName) || (full.contains(".") && h.equals(full.substring(full.indexOf('.') + 1)))) {
                return true;
            }
        } catch (UnknownHostException e) {
            // no name for this host: only addresses can match
        }
        if (!IP_LITERAL.matcher(h).matches()) {
            return false; // as stock: only an address is looked up among the interfaces, never a name resolved
        }
        try {
            InetAddress a = InetAddress.getByName(h);
            return a.isLoopbackAddress() || NetworkInterface.getByInetAddress(a) != null;
        } catch (UnknownHostException | SocketException e) {
            return false;
        }
    }

    /** Whether {@code cert} names {@code name}; the reason when it does not, for the error. */
    public static Optional<String> mismatch(X509Certificate cert, String name) {
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        try {
            Collection<List<?>> alt = cert.getSubjectAlternativeNames();
            if (alt != null) {
                for (List<?> entry : alt) {
                    int type = (Integer) entry.get(0);
                    if (type == 2) {
                        dns.add((String) entry.get(1));
                    } else if (type == 7) {
                        ips.add((String) entry.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return Optional.of("its subjectAltName cannot be read: " + e.getMessage());
        }
        for (String d : dns) {
            if (matches(d, name)) {
                return Optional.empty();
            }
        }
        if (name.contains(":") || name.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            for (String ip : ips) {
                if (sameAddress(ip, name)) {
                    return Optional.empty();
                }
            }
        }
        Optional<String> cn = commonName(cert);
        if (cn.isPresent() && matches(cn.get(), name)) {
            return Optional.empty();
        }
        return Optional.of("certificate is valid but its commonName does not match hostname \"" + name + "\" (its CN: "
                + cn.orElse("none") + (dns.isEmpty() ? "" : ", DNS names: " + dns) + (ips.isEmpty() ? "" : ", IP addresses: "
                + ips) + ")");
    }

    /** socat's rule: exact, or {@code *.d} matching {@code d} and {@code x.d} (one label). */
    static boolean matches(String pattern, String name) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String n = name.toLowerCase(Locale.ROOT);
        if (!p.startsWith("*.")) {
            return p.equals(n);
        }
        String base = p.substring(2);
        if (n.equals(base)) {
            return true;
        }
        int dot = n.indexOf('.');
        return dot > 0 && n.substring(dot + 1).equals(base);
    }

    private static boolean sameAddress(String a, String b) {
        try {
            return InetAddress.getByName(strip(a)).equals(InetAddress.getByName(strip(b)));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String strip(String s) {
        return s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
    }

    /** The first CN of the subject (in the certificate's order), as the stock joiner's openssl_getCN and socat read it. */
    public static Optional<String> commonName(X509Certificate cert) {
        X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        for (RDN rdn : subject.getRDNs(BCStyle.CN)) {
            org.bouncycastle.asn1.ASN1Encodable value = rdn.getFirst().getValue();
            String v = value instanceof org.bouncycastle.asn1.ASN1String a ? a.getString() : IETFUtils.valueToString(value);
            if (!v.isEmpty()) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
