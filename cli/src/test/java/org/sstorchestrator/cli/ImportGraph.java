package org.sstorchestrator.cli;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which of our packages uses which, read from the compiled classes' constant pools (class
 * references, and the types named in descriptors and generic signatures; string literals are
 * left out), and the cycles among them. A small stand-in for ArchUnit's slice check: the
 * question is only "does any package reach itself through another".
 */
final class ImportGraph {

    private static final Pattern NAMED_TYPE = Pattern.compile("L(org/sstorchestrator/[A-Za-z0-9_/$]+)[;<]");

    /** package -> package it uses -> one class-to-class reference that shows it. */
    private final Map<String, Map<String, String>> uses = new TreeMap<>();

    /** Every class of ours in the directory or jar that holds {@code anyClassOfIt}'s compiled classes. */
    static ImportGraph ofModulesHolding(String prefix, Class<?>... anyClassOfEach) throws IOException {
        ImportGraph g = new ImportGraph();
        for (Class<?> c : anyClassOfEach) {
            Path root;
            try {
                root = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
            } catch (URISyntaxException e) {
                throw new IOException(e);
            }
            g.read(root, prefix);
        }
        return g;
    }

    private void read(Path root, String prefix) throws IOException {
        if (Files.isDirectory(root)) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path p : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    String name = root.relativize(p).toString().replace('\\', '/');
                    if (name.startsWith(prefix)) {
                        try (InputStream in = Files.newInputStream(p)) {
                            add(name, in);
                        }
                    }
                }
            }
            return;
        }
        try (JarFile jar = new JarFile(root.toFile())) {
            for (JarEntry e : java.util.Collections.list(jar.entries())) {
                if (e.getName().endsWith(".class") && e.getName().startsWith(prefix)) {
                    try (InputStream in = jar.getInputStream(e)) {
                        add(e.getName(), in);
                    }
                }
            }
        }
    }

    private void add(String classFile, InputStream in) throws IOException {
        String from = classFile.substring(0, classFile.length() - ".class".length());
        if (from.endsWith("module-info") || from.endsWith("package-info")) {
            return;
        }
        for (String to : referencedClasses(in)) {
            String a = packageOf(from);
            String b = packageOf(to);
            if (!a.equals(b)) {
                uses.computeIfAbsent(a, k -> new TreeMap<>()).putIfAbsent(b, dotted(from) + " -> " + dotted(to));
            }
        }
    }

    /** The cycles: each a set of packages that reach one another, with the references that close it. */
    List<String> cycles() {
        List<String> out = new ArrayList<>();
        for (Set<String> component : stronglyConnected()) {
            if (component.size() < 2) {
                continue;
            }
            StringBuilder s = new StringBuilder(String.join(" <-> ", component.stream().map(ImportGraph::dotted).toList()));
            for (String a : component) {
                uses.getOrDefault(a, Map.of()).forEach((b, why) -> {
                    if (component.contains(b)) {
                        s.append("\n    ").append(why);
                    }
                });
            }
            out.add(s.toString());
        }
        return out;
    }

    Set<String> packages() {
        Set<String> all = new TreeSet<>(uses.keySet());
        uses.values().forEach(m -> all.addAll(m.keySet()));
        return all;
    }

    // Tarjan's strongly connected components, iterative enough for a few hundred packages.
    private List<Set<String>> stronglyConnected() {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new HashSet<>();
        List<Set<String>> out = new ArrayList<>();
        for (String v : packages()) {
            if (!index.containsKey(v)) {
                connect(v, index, low, stack, onStack, out);
            }
        }
        return out;
    }

    private void connect(String v, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
                         Set<String> onStack, List<Set<String>> out) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        onStack.add(v);
        for (String w : uses.getOrDefault(v, Map.of()).keySet()) {
            if (!index.containsKey(w)) {
                connect(w, index, low, stack, onStack, out);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            out.add(component);
        }
    }

    private static String packageOf(String internalName) {
        int slash = internalName.lastIndexOf('/');
        return slash < 0 ? "" : internalName.substring(0, slash);
    }

    private static String dotted(String internalName) {
        return internalName.replace('/', '.');
    }

    /** The classes of ours a class file names: CONSTANT_Class entries and types in descriptors and signatures. */
    static Set<String> referencedClasses(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        List<Integer> classNames = new ArrayList<>();
        Set<Integer> literals = new HashSet<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 7 -> classNames.add(in.readUnsignedShort());
                case 8 -> literals.add(in.readUnsignedShort());
                case 16, 19, 20 -> in.readUnsignedShort();
                case 15 -> in.skipBytes(3);
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
                case 5, 6 -> {
                    in.skipBytes(8);
                    i++; // a long or a double takes two slots
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        Set<String> out = new TreeSet<>();
        for (int c : classNames) {
            String n = utf8[c];
            if (n.startsWith("[")) {
                scan(n, out);
            } else if (n.startsWith("org/sstorchestrator/")) {
                out.add(outer(n));
            }
        }
        for (int i = 1; i < count; i++) {
            if (utf8[i] != null && !literals.contains(i) && !classNames.contains(i)) {
                scan(utf8[i], out);
            }
        }
        return out;
    }

    private static void scan(String descriptor, Set<String> out) {
        Matcher m = NAMED_TYPE.matcher(descriptor);
        while (m.find()) {
            out.add(outer(m.group(1)));
        }
    }

    /** A nested class belongs to its outer class's package anyway; keep the outer name for readable reports. */
    private static String outer(String internalName) {
        int dollar = internalName.indexOf('$', internalName.lastIndexOf('/') + 1);
        return dollar < 0 ? internalName : internalName.substring(0, dollar);
    }
}
