import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Run by RootAdminIT as the history's owner: plays a running SST. It holds the history's
 * database (so a reader must ask the socket) and answers every request on history.sock with
 * "ok" and the path given, until its stdin closes (args: history, answer path).
 */
public class FakeSst {
    public static void main(String[] args) throws Exception {
        Path history = Path.of(args[0]);
        try (FileChannel db = FileChannel.open(history.resolve("history.mv.db"), StandardOpenOption.READ,
                StandardOpenOption.WRITE); FileLock held = db.lock();
             ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(history.resolve("history.sock")));
            Thread answers = new Thread(() -> {
                while (true) {
                    try (SocketChannel c = server.accept()) {
                        java.io.InputStream in = java.nio.channels.Channels.newInputStream(c);
                        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
                            // whatever was asked
                        }
                        c.write(ByteBuffer.wrap(("ok " + args[1] + "\n").getBytes(StandardCharsets.UTF_8)));
                    } catch (java.io.IOException closed) {
                        return;
                    }
                }
            });
            answers.setDaemon(true);
            answers.start();
            System.out.println("ready");
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the test closes our stdin
            }
        } finally {
            java.nio.file.Files.deleteIfExists(history.resolve("history.sock"));
        }
    }
}
