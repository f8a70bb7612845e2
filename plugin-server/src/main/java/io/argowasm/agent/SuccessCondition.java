package io.argowasm.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * An HTTP template's {@code successCondition}, in the forms users write: comparisons of {@code
 * response.statusCode} with numbers ({@code ==}, {@code !=}, {@code <}, {@code <=}, {@code >},
 * {@code >=}), {@code in [..]}, {@code &&}, {@code ||} and parentheses. Argo evaluates it with
 * expr-lang; anything else (the body, headers, functions) is refused by name rather than guessed.
 */
final class SuccessCondition {

    private static final String SUBJECT = "response.statusCode";

    private final String source;
    private final List<String> tokens;
    private int next;

    private SuccessCondition(String source) {
        this.source = source;
        this.tokens = tokenize(source);
    }

    /**
     * Parses a condition.
     *
     * @throws IllegalArgumentException naming what is not supported
     */
    static IntPredicate parse(String source) {
        SuccessCondition parser = new SuccessCondition(source);
        IntPredicate condition = parser.or();
        if (parser.next < parser.tokens.size()) {
            throw parser.unsupported(parser.tokens.get(parser.next));
        }
        return condition;
    }

    private IntPredicate or() {
        IntPredicate left = and();
        while (accept("||") || accept("or")) {
            IntPredicate a = left;
            IntPredicate b = and();
            left = code -> a.test(code) || b.test(code);
        }
        return left;
    }

    private IntPredicate and() {
        IntPredicate left = comparison();
        while (accept("&&") || accept("and")) {
            IntPredicate a = left;
            IntPredicate b = comparison();
            left = code -> a.test(code) && b.test(code);
        }
        return left;
    }

    private IntPredicate comparison() {
        if (accept("(")) {
            IntPredicate inner = or();
            expect(")");
            return inner;
        }
        expect(SUBJECT);
        if (accept("in")) {
            return in(false);
        }
        if (accept("not")) {
            expect("in");
            return in(true);
        }
        String operator = token();
        int value = number();
        return switch (operator) {
            case "==" -> code -> code == value;
            case "!=" -> code -> code != value;
            case "<" -> code -> code < value;
            case "<=" -> code -> code <= value;
            case ">" -> code -> code > value;
            case ">=" -> code -> code >= value;
            default -> throw unsupported(operator);
        };
    }

    private IntPredicate in(boolean negated) {
        expect("[");
        List<Integer> values = new ArrayList<>();
        if (!accept("]")) {
            do {
                values.add(number());
            } while (accept(","));
            expect("]");
        }
        return code -> values.contains(code) != negated;
    }

    private int number() {
        String token = token();
        try {
            return Integer.parseInt(token);
        } catch (NumberFormatException e) {
            throw unsupported(token);
        }
    }

    private boolean accept(String token) {
        if (next < tokens.size() && tokens.get(next).equals(token)) {
            next++;
            return true;
        }
        return false;
    }

    private void expect(String token) {
        String found = token();
        if (!found.equals(token)) {
            throw unsupported(found);
        }
    }

    private String token() {
        if (next >= tokens.size()) {
            throw new IllegalArgumentException(
                    "successCondition '%s' ends too early; %s".formatted(source, supported()));
        }
        return tokens.get(next++);
    }

    private IllegalArgumentException unsupported(String token) {
        return new IllegalArgumentException(
                "successCondition '%s': '%s' is not supported; %s"
                        .formatted(source, token, supported()));
    }

    private static String supported() {
        return "the agent evaluates comparisons of response.statusCode with numbers (==, !=, <,"
                + " <=, >, >=, in [...]) joined by && and ||";
    }

    private static List<String> tokenize(String source) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if ("()[],".indexOf(c) >= 0) {
                tokens.add(String.valueOf(c));
                i++;
            } else if ("=!<>&|".indexOf(c) >= 0) {
                int start = i;
                while (i < source.length() && "=!<>&|".indexOf(source.charAt(i)) >= 0) {
                    i++;
                }
                tokens.add(source.substring(start, i));
            } else {
                int start = i;
                while (i < source.length()
                        && !Character.isWhitespace(source.charAt(i))
                        && "()[],=!<>&|".indexOf(source.charAt(i)) < 0) {
                    i++;
                }
                tokens.add(source.substring(start, i));
            }
        }
        return tokens;
    }
}
