package org.sstorchestrator.states.stock;

/** docs/stock-lines.md, generated from {@link StockLine} and {@link UnprintedStockLine} (GeneratedDocsTest checks it). */
public final class StockLineCatalogue {

    private StockLineCatalogue() {
    }

    public static String markdown() {
        StringBuilder o = new StringBuilder();
        o.append("# The stock script's log lines, and ours\n\n");
        o.append("Generated from `states.stock.StockLine` and `states.stock.UnprintedStockLine`; do not edit (see\n"
                + "`GeneratedDocsTest`). `StockLineCatalogueTest` holds the two against the lines extracted from the\n"
                + "installed 10.11 script (`/usr/bin/wsrep_sst_common`, `/usr/bin/wsrep_sst_mariabackup`; the extract is\n"
                + "`states/src/test/resources/stock-lines/installed-10.11.txt`): a line the script adds, renames or\n"
                + "drops fails the build until it is placed in one of them.\n\n");
        o.append("Ours prints each line below at the point where the stock script prints it, with the same text, in the\n"
                + "same shape, `WSREP_SST: [LEVEL] <text> (<time>)`, without the run and stage prefix its other lines\n"
                + "have: tests, alerting and runbooks grep mysqld's error log for them. Shell expansions (`$REMOTEIP`)\n"
                + "are filled with what ours knows. Where the stock words name a tool ours does not run, they stay\n"
                + "unchanged at the start of the line and what ours did follows. A line marked *ends the run* begins\n"
                + "the run's one ERROR line, printed in the same shape, with what ours knows after it.\n\n");
        o.append("## Printed\n\n| level | stock line | ours |\n| --- | --- | --- |\n");
        for (StockLine l : StockLine.values()) {
            o.append("| ").append(l.level()).append(" | `").append(cell(l.stock())).append("` | ")
                    .append(l.use() == StockLine.Use.RUN_ERROR ? "*ends the run*: " : "").append(cell(l.ours()))
                    .append(" |\n");
        }
        o.append("\n## Not printed\n\n| level | stock line | why | ours |\n| --- | --- | --- | --- |\n");
        for (UnprintedStockLine l : UnprintedStockLine.values()) {
            o.append("| ").append(l.level()).append(" | `").append(cell(l.stock())).append("` | ")
                    .append(l.reason().words()).append(" | ").append(cell(l.detail())).append(" |\n");
        }
        return o.toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|");
    }
}
