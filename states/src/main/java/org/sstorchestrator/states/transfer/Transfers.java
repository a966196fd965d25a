package org.sstorchestrator.states.transfer;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.RemoteAuth;
import org.sstorchestrator.states.Role;
import org.sstorchestrator.states.SstAddress;
import org.sstorchestrator.states.SstContext;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.SstFiles;
import org.sstorchestrator.states.config.CompressionCommand;
import org.sstorchestrator.states.config.SstConfig;
import org.sstorchestrator.states.config.StreamEncryption;
import org.sstorchestrator.states.exec.ChildProcesses;
import org.sstorchestrator.states.exec.Command;
import org.sstorchestrator.states.exec.Tools;
import org.sstorchestrator.states.stock.StockLine;
import org.sstorchestrator.states.tls.NativeCrypto;
import org.sstorchestrator.states.tls.PeerName;
import org.sstorchestrator.states.tls.SslMode;
import org.sstorchestrator.states.tls.TlsChannel;
import org.sstorchestrator.states.tls.TlsMaterial;
import org.sstorchestrator.states.tls.TlsSettings;
import org.sstorchestrator.states.wire.ProgressLines;
import org.sstorchestrator.wire.Chain;
import org.sstorchestrator.wire.Coalescing;
import org.sstorchestrator.wire.Counting;
import org.sstorchestrator.wire.Direction;
import org.sstorchestrator.wire.RateLimiter;
import org.sstorchestrator.wire.StreamLayer;
import org.sstorchestrator.wire.Transfer;
import org.sstorchestrator.wire.compress.ChildFilterLayer;
import org.sstorchestrator.wire.compress.Codec;
import org.sstorchestrator.wire.compress.CompressionLayer;
import org.sstorchestrator.wire.compress.ZstdLibrary;
import org.sstorchestrator.wire.tcp.Tcp;
import org.sstorchestrator.wire.tls.TlsLayer;

/**
 * The run's two transfers, each a chain of the wire declared once ({@link #chain}): the socket,
 * TLS when encrypt is 2-4 (with its writes coalesced), the count of the bytes on the wire, the
 * donor's rate limit on its backup, this role's compressor or decompressor, encrypt=1's
 * openssl enc next to the data, as on the stock wire: {@code compressor(encrypt(mbstream))}
 * inside TLS. A stage only says which transfer it opens and what it reads or writes.
 *
 * <p>Given by preflight on both roles, set up before the joiner prints {@code ready} and before
 * the donor connects, so that a TLS file that is missing, unreadable, expired, not the key's or
 * not the CA's ends the run (22) before anything is sent or changed (promise P5), never with a
 * cleartext transfer (P8). Each transfer's TLS session is logged and recorded
 * ({@code tls.<transfer>}: protocol, suite, the peer's subject and SHA-256 fingerprint, what
 * was verified).
 */
public final class Transfers {

    private static final Logger LOG = LoggerFactory.getLogger(Transfers.class);

    /** What ours adds to the stock lines that name socat, which ours does not run. */
    static final String BUILT_IN_TLS = " (built-in TLS, socat-compatible)";

    /** The two transfers of an SST: the name the record gives each, and how messages say it. */
    public enum Kind {
        MAGIC("magic", "transfer 1 (the position)"),
        BACKUP("backup", "transfer 2 (the backup)");

        private final String record;
        private final String what;

        Kind(String record, String what) {
            this.record = record;
            this.what = what;
        }

        public String record() {
            return record;
        }

        public String what() {
            return what;
        }
    }

    private static final Tcp.Names JOINER = new Tcp.Names("joiner", "[sst] sst-connect-timeout", "wsrep_sst_receive_address");
    private static final Tcp.Names DONOR = new Tcp.Names("donor", "[sst] sst-initial-timeout", "wsrep_sst_receive_address");

    private final TlsSettings settings;
    private final Optional<TlsChannel> tls;
    /** The layers that change the bytes: the donor's compressor, the joiner's decompressor, encrypt=1's cipher. */
    private final Optional<StreamLayer> compressor;
    private final Optional<StreamLayer> decompressor;
    private final Optional<StreamLayer> encryption;

    private Transfers(TlsSettings settings, Optional<TlsChannel> tls, Optional<StreamLayer> compressor,
                      Optional<StreamLayer> decompressor, Optional<StreamLayer> encryption) {
        this.settings = settings;
        this.tls = tls;
        this.compressor = compressor;
        this.decompressor = decompressor;
        this.encryption = encryption;
    }

    /**
     * A transfer's chain, nearest the socket first: one line a layer, which is all there is to
     * adding one. {@code tlsLayer}: this transfer's TLS, when TLS is on; {@code rateLimit}: the
     * donor's on its backup.
     */
    private Chain chain(Optional<TlsLayer> tlsLayer, Optional<StreamLayer> rateLimit) {
        return Chain.over()
                .then(tlsLayer.map(t -> Coalescing.WRITES))
                .then(tlsLayer)
                .then(Counting.WIRE)
                .then(rateLimit)
                .then(compressor)
                .then(decompressor)
                .then(encryption)
                .build();
    }

    /** Joiner: listens at {@code at} (or where sockopt's bind= and pf= say), for both transfers. */
    public static ServerSocket listen(SstContext ctx, java.net.InetSocketAddress at) {
        return Tcp.listen(at, ctx.abort, ctx.config.stream().sockOpts().socket(), DONOR);
    }

    /**
     * Donor: connects to the joiner (retried within sst-connect-timeout while it listens again)
     * and opens {@code kind}'s chain over the connection, its TLS handshake done.
     */
    public Transfer connect(SstContext ctx, Kind kind) {
        SstAddress joiner = ctx.args.address();
        Socket plain = Tcp.connect(joiner.socketHost(), joiner.port(), ctx.config.connectTimeout(), ctx.abort, ctx.nanos,
                ctx.config.stream().sockOpts().socket(), JOINER);
        if (kind == Kind.MAGIC) {
            ctx.recorder.attribute("peer", joiner.host() + ":" + joiner.port());
        }
        Optional<String> name = tls.isEmpty() ? Optional.empty()
                : PeerName.expected(settings, RemoteAuth.parse(System.getenv("WSREP_SST_OPT_REMOTE_AUTH")), joiner.host());
        Optional<Duration> awaitClose = kind == Kind.MAGIC ? Optional.of(ctx.config.idleTimeout()) : Optional.empty();
        return chain(tls.map(t -> t.layer(kind.what, joiner.socketHost(), joiner.port(), name, ctx.config.connectTimeout(),
                awaitClose, s -> record(ctx, kind, s))), kind == Kind.BACKUP ? rateLimit(ctx) : Optional.empty())
                .open(plain, Direction.SEND, ctx.abort, Optional.empty());
    }

    /**
     * Joiner: waits within {@code timeout} for the connection of {@code from} (null: anyone's;
     * others are refused and told to {@code refused}) and opens {@code kind}'s chain over it.
     * Transfer 1, and its handshake, must be over within {@code whole} when given; transfer 2
     * closes the port once its donor is in: nothing else may connect for the rest of the run.
     */
    public Transfer accept(SstContext ctx, Kind kind, ServerSocket server, InetAddress from, Duration timeout,
                           Consumer<String> refused, Optional<Chain.Bound> whole, Duration handshake) {
        Socket plain = Tcp.acceptFrom(server, from, timeout, ctx.nanos, kind.what, ctx.abort, refused,
                ctx.config.stream().sockOpts().socket(), DONOR);
        if (kind == Kind.BACKUP) {
            closeQuietly(server);
        } else {
            ctx.recorder.attribute("peer", plain.getInetAddress().getHostAddress());
        }
        return chain(tls.map(t -> t.layer(kind.what, "", 0, Optional.empty(), handshake, Optional.empty(),
                s -> record(ctx, kind, s))), Optional.empty())
                .open(plain, Direction.RECEIVE, ctx.abort, whole);
    }

    private void record(SstContext ctx, Kind kind, TlsChannel.Session s) {
        String d = s.describe(settings);
        LOG.info("TLS for {}: {}", kind.record, d);
        ctx.recorder.attribute("tls." + kind.record, d);
    }

    /**
     * {@code [sst] rlimit}: paced on the wire, next to the count (after the compressor, where the
     * stock script's pv sits), and recorded with the run for sst-admin when the stream starts.
     */
    private static Optional<StreamLayer> rateLimit(SstContext ctx) {
        long rate = ctx.config.stream().rateLimit();
        if (rate <= 0) {
            return Optional.empty();
        }
        StreamLayer limit = RateLimiter.realTime(rate).layer();
        return Optional.of(new StreamLayer() {
            @Override
            public String name() {
                return limit.name();
            }

            @Override
            public java.io.OutputStream sending(java.io.OutputStream below) throws java.io.IOException {
                StockLine.RATE_LIMITING.logWith(" (" + rate + " bytes a second, paced by ours on the wire; pv is not run)",
                        ctx.config.stream().rateLimitSetting());
                ctx.recorder.attribute("rate_limit", Long.toString(rate));
                return limit.sending(below);
            }
        });
    }

    /** TLS's settings, resolved from my.cnf. */
    public TlsSettings settings() {
        return settings;
    }

    /** This run's TLS, when encrypt is 2-4. */
    public Optional<TlsChannel> tls() {
        return tls;
    }

    /** Whether a layer changes the bytes (a compressor, encrypt=1): then the record keeps the bytes on the wire apart. */
    public boolean changesBytes() {
        return compressor.isPresent() || decompressor.isPresent() || encryption.isPresent();
    }

    /** The layers that change the bytes: "built-in zstd -1+openssl enc -aes-256-cbc -pbkdf2", or "plain TCP". */
    public String describe() {
        List<String> names = java.util.stream.Stream.of(compressor, decompressor, encryption).flatMap(Optional::stream)
                .map(StreamLayer::name).toList();
        return names.isEmpty() ? "plain TCP" : String.join("+", names);
    }

    /**
     * Reads and checks this role's TLS material (if any) and records what the transfers will
     * use; says so in the stock script's lines ({@link StockLine}), as its get_stream and
     * get_transfer do before anything is sent.
     */
    public static Transfers prepare(SstContext ctx) {
        TlsSettings s = ctx.config.tls();
        StockLine.STREAMING_WITH.log("mbstream");
        if (ctx.config.stream().netcat()) {
            StockLine.USING_NETCAT.logWith(": built-in transport, plain TCP (nc is not run)");
        } else {
            StockLine.USING_SOCAT.logWith(": built-in transport, socat-compatible (socat is not run)");
        }
        Optional<TlsChannel> tls = Optional.empty();
        if (s.tls()) {
            (s.encrypt() == 2 ? StockLine.TLS_CRT_AND_PEM : StockLine.TLS_KEY_AND_CRT).logWith(BUILT_IN_TLS);
            if (!s.options().isEmpty()) {
                LOG.info("[sst] sockopt's TLS options: {}", String.join("; ", s.options().applied()));
                ctx.recorder.attribute("tls.sockopt", String.join("; ", s.options().applied()));
            }
            NativeCrypto.install(); // before the files are read: the key checks run on it too
            ctx.recorder.attribute("tls.crypto", NativeCrypto.describe());
            TlsMaterial.Loaded m = new TlsMaterial(s).load(Instant.ofEpochMilli(ctx.clock.getAsLong()));
            m.warnings().forEach(LOG::warn);
            tls = Optional.of(TlsChannel.of(m));
            // the provider's self-tests ran in the background meanwhile: an algorithm that failed its test refuses to work
            NativeCrypto.selfTestFailure().ifPresent(f -> {
                throw new SstException(ExitCode.EINVAL, "AWS-LC's self-tests failed (" + f + "): TLS cannot run on it on"
                        + " this node; run the SST with the JDK's crypto (JAVA_TOOL_OPTIONS=-D" + NativeCrypto.SWITCH
                        + "=off in mysqld's environment) and report this");
            });
            String action = ctx.role == Role.JOINER ? "Decrypting" : "Encrypting";
            if (s.encrypt() == 2) {
                StockLine.TLS_WITH_CA_ONLY.log(action, path(s.cert()), path(s.ca()), path(s.capath()));
            } else if (!s.verifiesPeer()) {
                StockLine.TLS_WITHOUT_VERIFICATION.log(action, path(s.cert()), path(s.key()));
            } else {
                if (s.mode() == SslMode.VERIFY_CA) {
                    StockLine.TLS_VERIFY_CA.log();
                }
                StockLine.TLS_WITH_CA.log(action, path(s.cert()), path(s.key()), path(s.ca()), path(s.capath()));
            }
        }
        Transfers t = of(ctx, tls);
        ctx.recorder.attribute("security", s.tls() ? "TLS " + s.describe()
                : s.encrypt() == 1 ? t.describe() + " (encrypt=1)" : "none (encrypt=0)");
        return t;
    }

    /** The run's transfers with {@code tls} (already set up, when encrypt is 2-4), as its configuration declares them. */
    public static Transfers of(SstContext ctx, Optional<TlsChannel> tls) {
        SstConfig c = ctx.config;
        return new Transfers(c.tls(), tls,
                c.stream().compressor().map(x -> compression(x, true, c, ctx.tools, ctx.children, ctx.datadir)),
                c.stream().decompressor().map(x -> compression(x, false, c, ctx.tools, ctx.children, ctx.datadir)),
                c.streamEncryption().map(StreamEncryption::layer));
    }

    /** A compressor or decompressor: built in, or a child process ({@link CompressionCommand}). */
    private static StreamLayer compression(CompressionCommand c, boolean compress, SstConfig config, Tools tools,
                                           ChildProcesses children, Path datadir) {
        if (c.builtin().isPresent()) {
            return compress ? CompressionLayer.compressing(c.builtin().get(), c.setting())
                    : CompressionLayer.decompressing(c.builtin().get(), c.setting());
        }
        // a missing program is refused by preflight, before anything happens
        Command command = Command.of(program(c, tools).orElse(Path.of(c.program())), c.argv().subList(1, c.argv().size()))
                .withLog(datadir.resolve(compress ? SstFiles.COMPRESSOR_LOG : SstFiles.DECOMPRESSOR_LOG))
                .inDirectory(datadir);
        return new ChildFilterLayer(c.setting(), new ChildFilter(command, children), config.idleTimeout(), compress);
    }

    /** An external compressor's program: a bare name from mysqld's PATH, a path as it is (if executable). */
    private static Optional<Path> program(CompressionCommand c, Tools tools) {
        if (c.program().contains("/")) {
            Path p = Path.of(c.program());
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        return tools.find(c.program());
    }

    /**
     * Preflight, both roles: this role's compressor or decompressor can run (exit 2 naming it
     * when its program is missing, where the stock pipeline fails mid-transfer), zstd's library
     * loads when a built-in zstd is asked for, a progress path can be written; and what the
     * run will do is logged and recorded.
     */
    public static void checkStream(SstContext ctx) {
        List<CompressionCommand> commands = new ArrayList<>();
        ctx.config.stream().compressor().ifPresent(commands::add);
        ctx.config.stream().decompressor().ifPresent(commands::add);
        for (CompressionCommand c : commands) {
            if (c.builtin().isEmpty() && program(c, ctx.tools).isEmpty()) {
                throw new SstException(ExitCode.ENOENT, c.setting() + " = '" + c.value() + "': '" + c.program()
                        + "' not found in PATH or not executable; install it, or fix " + c.setting());
            }
            if (c.builtin().filter(codec -> codec instanceof Codec.Zstd).isPresent()) {
                ZstdLibrary.load();
            }
            LOG.info("{}: {}", c.setting(), c.describe());
            ctx.recorder.attribute(c.setting().replace("[sst] ", ""), c.describe());
        }
        if (!ctx.config.stream().sockOpts().isEmpty()) {
            LOG.info("[sst] sockopt: {}", ctx.config.stream().sockOpts().describe());
            ctx.recorder.attribute("sockopt", ctx.config.stream().sockOpts().describe());
        }
        ProgressLines.check(ctx.config.stream().progress(), ctx.datadir);
    }

    private static String path(Optional<TlsSettings.Setting> s) {
        return s.map(x -> x.path().toString()).orElse("");
    }

    public static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing left to do with it
        }
    }
}
