import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

/**
 * Test resource, run as another OS user by ForeignUserTest: what a local attacker would try
 * against a running SST's history. Prints what it got; never part of the product.
 */
public class Intruder {

    public static void main(String[] a) throws Exception {
        if (a[0].equals("unix")) {
            for (String name : new String[] {"history.sock"}) {
                try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    ch.connect(UnixDomainSocketAddress.of(Path.of(a[1], name)));
                    System.out.println("connected to " + name);
                } catch (Exception e) {
                    System.out.println("refused: " + e);
                }
            }
            return;
        }
        String port = a[0];
        Path own = Path.of(a[1]);
        String key = a[2];
        // a database of the attacker's own, with credentials it chose: it is that database's admin
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + own.resolve("evil"), "a", "a")) {
            c.createStatement().execute("CREATE TABLE IF NOT EXISTS x(i INT)");
        }
        for (String db : new String[] {own.resolve("evil").toString(), "mem:evil"}) {
            try (Connection c = DriverManager.getConnection("jdbc:h2:tcp://127.0.0.1:" + port + "/" + db, "a", "a")) {
                System.out.println("opened " + db + " through port " + port);
                tryIt(c, "CREATE ALIAS RK AS 'String rk(String p) throws Exception { return new String("
                        + "java.nio.file.Files.readAllBytes(java.nio.file.Path.of(p))); }'", null);
                tryIt(c, "CALL RK('" + key + "')", "alias");
                tryIt(c, "SELECT FILE_READ('" + key + "', NULL)", "file_read");
                tryIt(c, "RUNSCRIPT FROM '" + key + "'", "runscript");
                tryIt(c, "CALL LINK_SCHEMA('L', '', 'jdbc:h2:mem:l', 'a', 'a', 'PUBLIC')", "link_schema");
            } catch (Exception e) {
                System.out.println("refused: " + db + ": " + e.getMessage());
            }
        }
    }

    private static void tryIt(Connection c, String sql, String label) {
        try {
            boolean rows = c.createStatement().execute(sql);
            if (rows && label != null) {
                ResultSet rs = c.createStatement().executeQuery(sql);
                while (rs.next()) {
                    Object v = rs.getObject(1);
                    System.out.println(label + ": " + (v instanceof byte[] b ? new String(b) : v));
                }
            }
        } catch (Exception e) {
            System.out.println((label == null ? "setup" : label) + " failed: " + e.getMessage());
        }
    }
}
