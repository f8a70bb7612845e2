package io.argowasm.manifest;

import java.math.BigInteger;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;
import tools.jackson.dataformat.yaml.util.StringQuotingChecker;

/**
 * Writes a JSON tree as YAML the way Kubernetes' Go tools do ({@code sigs.k8s.io/yaml.Marshal},
 * that is go-yaml v2): keys in go-yaml's order, compact sequences, plain scalars where YAML 1.1
 * reads them back as strings, double quotes where it would not, single quotes and literal blocks
 * where the emitter needs them, lines folded at 80 columns.
 *
 * <p>The two emitters agree except on escaped double-quoted text, so strings that would need
 * escapes (control characters, tabs, characters outside the Basic Multilingual Plane, line breaks
 * other than {@code \n}) or that end a line with a space are refused rather than written
 * differently.
 */
final class KubernetesYaml {

    private static final YAMLMapper MAPPER =
            YAMLMapper.builder(
                            YAMLFactory.builder()
                                    .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
                                    .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
                                    .enable(YAMLWriteFeature.LITERAL_BLOCK_STYLE)
                                    .stringQuotingChecker(new Yaml11Quoting())
                                    .build())
                    .build();

    private KubernetesYaml() {}

    /**
     * Writes {@code tree} as YAML.
     *
     * @throws IllegalArgumentException naming the path of a string that cannot be written the way
     *     go-yaml writes it
     */
    static String write(JsonNode tree) {
        return MAPPER.writeValueAsString(inGoYamlOrder(tree, ""));
    }

    private static JsonNode inGoYamlOrder(JsonNode node, String path) {
        if (node.isObject()) {
            List<String> names = sortedKeys(path, node.propertyNames());
            ObjectNode sorted = JsonNodeFactory.instance.objectNode();
            for (String name : names) {
                String child = path.isEmpty() ? name : path + "." + name;
                checkWritable("%s (key)".formatted(child), name);
                sorted.set(name, inGoYamlOrder(node.get(name), child));
            }
            return sorted;
        }
        if (node.isArray()) {
            ArrayNode items = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < node.size(); i++) {
                items.add(inGoYamlOrder(node.get(i), path + "[" + i + "]"));
            }
            return items;
        }
        if (node.isString()) {
            checkWritable(path, node.stringValue());
        }
        return node;
    }

    /**
     * go-yaml's key order is not transitive for some keys that mix digits and letters, and then the
     * order depends on Go's sorting algorithm; such key sets are refused.
     */
    private static List<String> sortedKeys(String path, Collection<String> keys) {
        List<String> sorted = new ArrayList<>(keys);
        String where = path.isEmpty() ? "the document" : path;
        try {
            sorted.sort(KubernetesYaml::goYamlKeyOrder);
        } catch (IllegalArgumentException contractViolation) {
            throw new IllegalArgumentException(
                    "%s has keys that Kubernetes tools sort in no fixed order; rename them"
                            .formatted(where));
        }
        for (int i = 0; i < sorted.size(); i++) {
            for (int j = i + 1; j < sorted.size(); j++) {
                if (goYamlKeyOrder(sorted.get(i), sorted.get(j)) > 0) {
                    throw new IllegalArgumentException(
                            "%s has keys that Kubernetes tools sort in no fixed order, such as '%s' and '%s'; rename one of them"
                                    .formatted(where, sorted.get(i), sorted.get(j)));
                }
            }
        }
        return sorted;
    }

    private static void checkWritable(String path, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!printable(c)) {
                throw new IllegalArgumentException(
                        "%s contains the character U+%04X, which Kubernetes tools write as an escape in a double-quoted string; remove it or spell it out"
                                .formatted(path, (int) c));
            }
        }
        if (text.indexOf('\n') >= 0 && (text.contains(" \n") || text.endsWith(" "))) {
            throw new IllegalArgumentException(
                    "%s has a line ending with a space, which turns the whole text into an escaped double-quoted string; remove the trailing spaces"
                            .formatted(path));
        }
    }

    /** The characters YAML emitters write as they are; the rest need escapes. */
    private static boolean printable(char c) {
        return c == '\n'
                || (c >= 0x20 && c <= 0x7E)
                || (c >= 0xA0 && c <= 0xD7FF && c != 0x2028 && c != 0x2029)
                || (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF);
    }

    /**
     * go-yaml's key order: letters after other characters, runs of digits compared as numbers,
     * everything else by code point.
     */
    static int goYamlKeyOrder(String a, String b) {
        int[] ar = a.codePoints().toArray();
        int[] br = b.codePoints().toArray();
        for (int i = 0; i < ar.length && i < br.length; i++) {
            if (ar[i] == br[i]) {
                continue;
            }
            boolean al = Character.isLetter(ar[i]);
            boolean bl = Character.isLetter(br[i]);
            if (al && bl) {
                return Integer.compare(ar[i], br[i]);
            }
            if (al || bl) {
                return bl ? -1 : 1;
            }
            long an = 0;
            long bn = 0;
            if (ar[i] == '0' || br[i] == '0') {
                // A zero inside a longer number is compared as part of it, not as a leading zero.
                for (int j = i - 1; j >= 0 && Character.isDigit(ar[j]); j--) {
                    if (ar[j] != '0') {
                        an = 1;
                        bn = 1;
                        break;
                    }
                }
            }
            int ai = i;
            for (; ai < ar.length && Character.isDigit(ar[ai]); ai++) {
                an = an * 10 + (ar[ai] - '0');
            }
            int bi = i;
            for (; bi < br.length && Character.isDigit(br[bi]); bi++) {
                bn = bn * 10 + (br[bi] - '0');
            }
            if (an != bn) {
                return Long.compare(an, bn);
            }
            if (ai != bi) {
                return Integer.compare(ai, bi);
            }
            return Integer.compare(ar[i], br[i]);
        }
        return Integer.compare(ar.length, br.length);
    }

    /**
     * Quotes exactly the strings go-yaml quotes: those a YAML 1.1 reader would take for a boolean,
     * null, number, timestamp or base-60 float. Whether the rest can stay plain is the emitter's
     * call, as in go-yaml.
     */
    private static final class Yaml11Quoting extends StringQuotingChecker {

        private static final long serialVersionUID = 1L;

        private static final Set<String> KEYWORDS =
                Set.of(
                        "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
                        "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
                        "", "~", "null", "Null", "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf",
                        ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF");
        private static final Pattern INTEGER =
                Pattern.compile(
                        "[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)");
        // Text starting with a point goes to strconv.ParseFloat as it is, which takes Go's
        // underscores between digits.
        private static final Pattern POINT_FLOAT =
                Pattern.compile("\\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?");
        private static final Pattern FLOAT =
                Pattern.compile("[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?");
        // The three layouts go-yaml tries, in Go's notation: 2006-1-2T15:4:5.999999999Z07:00
        // (or with t), 2006-1-2 15:4:5.999999999 (a space matching any run of spaces), 2006-1-2.
        private static final Pattern TIMESTAMP =
                Pattern.compile(
                        "([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:([Tt]|"
                                + " +)([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:[.,][0-9]+)?"
                                + "(Z|[-+]([0-9]{2}):([0-9]{2}))?)?");
        private static final Pattern BASE_60_FLOAT =
                Pattern.compile("[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?");

        @Override
        public boolean needToQuoteName(String name) {
            return readsAsNonString(name);
        }

        @Override
        public boolean needToQuoteValue(String value) {
            return readsAsNonString(value);
        }

        private static boolean readsAsNonString(String s) {
            if (KEYWORDS.contains(s)) {
                return true;
            }
            char first = s.charAt(0);
            if (first == '.') {
                return isFloat(s, POINT_FLOAT);
            }
            if (first != '+' && first != '-' && (first < '0' || first > '9')) {
                return false;
            }
            String digits = s.replace("_", "");
            return isTimestamp(s)
                    || isInt64(digits)
                    || isFloat(digits, FLOAT)
                    || BASE_60_FLOAT.matcher(s).matches();
        }

        /** Go's strconv.ParseFloat fails on values beyond float64's range. */
        private static boolean isFloat(String s, Pattern syntax) {
            return syntax.matcher(s).matches()
                    && Double.isFinite(Double.parseDouble(s.replace("_", "")));
        }

        /** Go's strconv.ParseInt or ParseUint with base 0: prefixed numbers must fit in 64 bits. */
        private static boolean isInt64(String s) {
            if (!INTEGER.matcher(s).matches()) {
                return false;
            }
            boolean negative = s.charAt(0) == '-';
            String unsigned = s.charAt(0) == '-' || s.charAt(0) == '+' ? s.substring(1) : s;
            int radix = 10;
            String digits = unsigned;
            if (unsigned.length() > 1 && unsigned.charAt(0) == '0') {
                char prefix = Character.toLowerCase(unsigned.charAt(1));
                radix = prefix == 'x' ? 16 : prefix == 'b' ? 2 : 8;
                digits = Character.isDigit(prefix) ? unsigned.substring(1) : unsigned.substring(2);
            }
            BigInteger value = new BigInteger(digits, radix);
            return negative
                    ? value.compareTo(BigInteger.ONE.shiftLeft(63)) <= 0
                    : value.bitLength() <= 64;
        }

        private static boolean isTimestamp(String s) {
            Matcher m = TIMESTAMP.matcher(s);
            if (!m.matches()) {
                return false;
            }
            int month = Integer.parseInt(m.group(2));
            int day = Integer.parseInt(m.group(3));
            if (month < 1
                    || month > 12
                    || day < 1
                    || day > YearMonth.of(Integer.parseInt(m.group(1)), month).lengthOfMonth()) {
                return false;
            }
            if (m.group(4) == null) {
                return true;
            }
            // Only the T layout has a zone, and there it is required.
            if (m.group(4).startsWith(" ") == (m.group(8) != null)) {
                return false;
            }
            boolean zoneInRange =
                    m.group(9) == null
                            || (Integer.parseInt(m.group(9)) <= 24
                                    && Integer.parseInt(m.group(10)) <= 60);
            return Integer.parseInt(m.group(5)) < 24
                    && Integer.parseInt(m.group(6)) < 60
                    && Integer.parseInt(m.group(7)) < 60
                    && zoneInRange;
        }
    }
}
