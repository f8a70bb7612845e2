package io.argowasm.dryrun;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A {@code when} condition, after substitution, evaluated as Argo does with govaluate: {@code == !=
 * < > <= >=}, regular-expression matches {@code =~ !~}, {@code && || !} and parentheses over
 * numbers, {@code true}/{@code false}, quoted strings and bare words (which Argo reads as strings,
 * so {@code heads == heads} holds). Anything else is an error naming the condition.
 */
final class WhenCondition {

    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
    private static final List<String> OPERATORS =
            List.of("&&", "||", "==", "!=", "<=", ">=", "=~", "!~", "<", ">", "!", "(", ")");

    private final String text;
    private final List<Token> tokens;
    private int position;

    private WhenCondition(String text) {
        this.text = text;
        this.tokens = tokenize(text);
    }

    /**
     * Whether a substituted condition holds.
     *
     * @throws IllegalArgumentException naming the condition when it is not one dry-run evaluates
     */
    static boolean holds(String condition) {
        WhenCondition parser = new WhenCondition(condition);
        Object value = parser.or();
        if (parser.position != parser.tokens.size()) {
            throw parser.error(
                    "unexpected '%s'".formatted(parser.tokens.get(parser.position).text));
        }
        if (!(value instanceof Boolean b)) {
            throw parser.error("it is not a comparison or a boolean");
        }
        return b;
    }

    private Object or() {
        Object left = and();
        while (accept("||")) {
            boolean right = bool(and());
            left = bool(left) || right;
        }
        return left;
    }

    private Object and() {
        Object left = not();
        while (accept("&&")) {
            boolean right = bool(not());
            left = bool(left) && right;
        }
        return left;
    }

    private Object not() {
        if (accept("!")) {
            return !bool(not());
        }
        return comparison();
    }

    private Object comparison() {
        Object left = primary();
        for (String op : List.of("==", "!=", "<=", ">=", "=~", "!~", "<", ">")) {
            if (accept(op)) {
                return compare(left, op, primary());
            }
        }
        return left;
    }

    private Object primary() {
        if (position >= tokens.size()) {
            throw error("it ends too early");
        }
        Token token = tokens.get(position++);
        if (token.operator) {
            if (token.text.equals("(")) {
                Object inner = or();
                if (!accept(")")) {
                    throw error("a '(' is not closed");
                }
                return inner;
            }
            throw error("unexpected '%s'".formatted(token.text));
        }
        if (token.quoted) {
            return token.text;
        }
        if (token.text.equals("true") || token.text.equals("false")) {
            return Boolean.parseBoolean(token.text);
        }
        if (NUMBER.matcher(token.text).matches()) {
            return Double.parseDouble(token.text);
        }
        return token.text;
    }

    private Object compare(Object left, String op, Object right) {
        switch (op) {
            case "==":
                return equal(left, right);
            case "!=":
                return !equal(left, right);
            case "=~":
            case "!~":
                try {
                    boolean found =
                            Pattern.compile(right.toString()).matcher(left.toString()).find();
                    return op.equals("=~") == found;
                } catch (PatternSyntaxException e) {
                    throw error("'%s' is not a regular expression".formatted(right));
                }
            default:
                if (!(left instanceof Double l) || !(right instanceof Double r)) {
                    throw error(
                            "'%s' compares numbers, and '%s' or '%s' is not one"
                                    .formatted(op, left, right));
                }
                return switch (op) {
                    case "<" -> l < r;
                    case ">" -> l > r;
                    case "<=" -> l <= r;
                    default -> l >= r;
                };
        }
    }

    private static boolean equal(Object left, Object right) {
        if (left instanceof Double l && right instanceof Double r) {
            return l.doubleValue() == r.doubleValue();
        }
        return left.getClass() == right.getClass() && left.equals(right);
    }

    private boolean bool(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        throw error("'%s' is used as a condition but is not true or false".formatted(value));
    }

    private boolean accept(String operator) {
        if (position < tokens.size()
                && tokens.get(position).operator
                && tokens.get(position).text.equals(operator)) {
            position++;
            return true;
        }
        return false;
    }

    private IllegalArgumentException error(String why) {
        return new IllegalArgumentException(
                ("cannot evaluate when '%s': %s (dry-run evaluates == != < > <= >= =~ !~"
                                + " && || ! and parentheses)")
                        .formatted(text, why));
    }

    private List<Token> tokenize(String text) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (c == '"' || c == '\'') {
                int end = text.indexOf(c, i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException(
                            "cannot evaluate when '%s': a quote is not closed".formatted(text));
                }
                out.add(new Token(text.substring(i + 1, end), false, true));
                i = end + 1;
                continue;
            }
            String operator = operatorAt(text, i);
            if (operator != null) {
                out.add(new Token(operator, true, false));
                i += operator.length();
                continue;
            }
            int start = i;
            while (i < text.length()
                    && !Character.isWhitespace(text.charAt(i))
                    && operatorAt(text, i) == null
                    && text.charAt(i) != '"'
                    && text.charAt(i) != '\'') {
                i++;
            }
            out.add(new Token(text.substring(start, i), false, false));
        }
        return out;
    }

    private static String operatorAt(String text, int i) {
        for (String op : OPERATORS) {
            if (text.startsWith(op, i)) {
                return op;
            }
        }
        return null;
    }

    private record Token(String text, boolean operator, boolean quoted) {}
}
