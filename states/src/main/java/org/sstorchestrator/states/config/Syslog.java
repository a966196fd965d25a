package org.sstorchestrator.states.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sstorchestrator.states.Role;

/**
 * Whether the SST logs to syslog, decided as the shipped script decides it (docs/compatibility.md#the-error-log):
 * {@code [sst] sst-syslog=-1} keeps it off; otherwise it is on exactly when {@code [mysqld_safe]}
 * has a {@code syslog} line, with any value or none (Debian's default configuration has a
 * bare one), so {@code sst-syslog=1} alone changes nothing. A value that is not an integer
 * leaves it off, as the script's failing {@code [} test does. The tag is
 * {@code [mysqld_safe] syslog-tag}, else {@code SST_SYSLOG_TAG} from the environment, always
 * followed by '-': {@code <tag>-wsrep-sst-joiner}, {@code -wsrep-sst-joiner} without one.
 *
 * @param tagPrefix the tag and its '-', to which the script's own names are appended
 */
public record Syslog(String tagPrefix) {

    public static Optional<Syslog> from(OptionFiles cnf, Map<String, String> env, List<String> warnings) {
        String v = Opt.SST_SYSLOG.valueOrDefault(cnf);
        if (!v.matches("-?[0-9]{1,9}")) {
            warnings.add(Opt.SST_SYSLOG.named() + " = '" + v + "' is not an integer: the SST does not log to syslog"
                    + " (as with the stock script)");
            return Optional.empty();
        }
        if (Integer.parseInt(v) == -1 || !Opt.SYSLOG.present(cnf)) {
            return Optional.empty();
        }
        String tag = Opt.SYSLOG_TAG.value(cnf).orElse(Optional.ofNullable(env.get("SST_SYSLOG_TAG")).orElse("").strip());
        return Optional.of(new Syslog(tag + "-"));
    }

    /** The tag of the SST's own lines: {@code <tag>-wsrep-sst-<role>}. */
    public String sstTag(Role role) {
        return tagPrefix + "wsrep-sst-" + role.label();
    }
}
