import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * Run by RootAdminIT as the history's owner: plants in the history's database a trigger whose
 * Java source H2 compiles and runs whenever the database is opened. It leaves a file named
 * after the user it ran as in the directory given (args: history, drop directory).
 */
public class PlantTrigger {
    public static void main(String[] args) throws Exception {
        String key = Files.readString(Path.of(args[0], "history.key")).trim();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + args[0] + "/history", "sst", key);
             Statement s = c.createStatement()) {
            s.execute("CREATE TRIGGER PLANTED BEFORE INSERT ON RUN AS $$org.h2.api.Trigger create() throws Exception {"
                    + " java.nio.file.Files.writeString(java.nio.file.Path.of(\"" + args[1]
                    + "\", \"trigger-ran-as-\" + System.getProperty(\"user.name\") + \"-\" + System.nanoTime()), \"x\");"
                    + " return new org.h2.api.Trigger() { public void fire(java.sql.Connection c, Object[] o, Object[] n) {} };"
                    + " } $$");
        }
    }
}
