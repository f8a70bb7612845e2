package io.argowasm.argo;

import java.util.ArrayList;
import java.util.List;

/**
 * Property names that Jackson's byte-level symbol table files under few hashes whatever its seed:
 * 20 families, each sharing its first 12 bytes and holding the same 4-byte blocks after them in
 * different orders (blocks past the third are summed). Interleaved, they fill the buckets of every
 * family before the table gives up; a table shared between parses is then left with no room for the
 * names of later documents.
 */
public final class CollidingNames {

    private static final int FAMILIES = 20;

    private CollidingNames() {}

    public static List<String> first(int count) {
        List<String> blocks = new ArrayList<>();
        permutations("", List.of("qaaa", "qbbb", "qccc", "qddd", "qeee", "qfff", "qggg"), blocks);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add("prefix%06d%s".formatted(i % FAMILIES, blocks.get(i / FAMILIES)));
        }
        return names;
    }

    private static void permutations(String prefix, List<String> blocks, List<String> out) {
        if (blocks.isEmpty()) {
            out.add(prefix);
            return;
        }
        for (int i = 0; i < blocks.size(); i++) {
            List<String> rest = new ArrayList<>(blocks);
            String block = rest.remove(i);
            permutations(prefix + block, rest, out);
        }
    }
}
