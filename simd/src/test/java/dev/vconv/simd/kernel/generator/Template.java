package dev.vconv.simd.kernel.generator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small text template, in the manner of XNNPACK's {@code .c.in} files: lines whose first non-blank character is
 * {@code $} are directives, every other line is text in which {@code ${expr}} is replaced by the expression's value.
 *
 * <pre>
 * $for R in range(MR)              repeats the lines up to the matching $endfor with R = 0 .. MR-1
 * $if V == 8 / $elif ... / $else   keeps the lines of the first branch whose condition holds
 * $endfor / $endif
 * ${R * V}  ${NAME}  ${plus(R)}  ${times(R, "ldc")}
 * </pre>
 *
 * Expressions are integers and strings: literals, variables, {@code + - * / %}, comparisons, {@code &&},
 * {@code ||}, {@code !} and parentheses; {@code pow2(n)} and {@code hex(n)} (upper-case, {@code 0x} first); and two
 * functions that print an offset term the way the kernels are written by hand: {@code plus(n)} is {@code ""} for 0
 * and {@code " + n"} otherwise; {@code times(n, "x")} is {@code ""}, {@code " + x"} or {@code " + n * x"} for 0, 1
 * and more. A template renders the same text for the
 * same variables, so a generated file can be checked against its template by rendering it again.
 */
final class Template {
    private final String name;
    private final List<String> lines;

    Template(String name, String text) {
        this.name = name;
        this.lines = List.of(text.split("\n", -1));
    }

    /** The text for {@code variables} (integers and strings). */
    String render(Map<String, Object> variables) {
        StringBuilder out = new StringBuilder();
        int end = block(0, new HashMap<>(variables), out, true);
        if (end != lines.size()) {
            throw error(end, "unexpected " + lines.get(end).strip());
        }
        return out.toString();
    }

    /**
     * Renders lines from {@code at} until a directive that ends the block ({@code $endfor}, {@code $endif},
     * {@code $else}, {@code $elif}) or the end; emits only where {@code emit}. Returns the index of the line that
     * ended the block.
     */
    private int block(int at, Map<String, Object> vars, StringBuilder out, boolean emit) {
        int i = at;
        while (i < lines.size()) {
            String line = lines.get(i);
            String directive = line.strip();
            if (!directive.startsWith("$") || directive.startsWith("${")) {
                if (emit) {
                    out.append(substitute(line, vars, i));
                    if (i + 1 < lines.size()) {
                        out.append('\n');
                    }
                }
                i++;
                continue;
            }
            if (directive.equals("$endfor") || directive.equals("$endif") || directive.equals("$else")
                    || directive.startsWith("$elif ")) {
                return i;
            }
            if (directive.startsWith("$for ")) {
                String[] parts = directive.substring(5).split(" in ", 2);
                String variable = parts[0].strip();
                String range = parts[1].strip();
                if (!range.startsWith("range(") || !range.endsWith(")")) {
                    throw error(i, "a $for takes range(n)");
                }
                int count = emit ? (Integer) new Expression(range.substring(6, range.length() - 1), vars, this, i).parse() : 0;
                int bodyEnd = block(i + 1, vars, new StringBuilder(), false);      // find the end once
                expect(bodyEnd, "$endfor");
                Object saved = vars.get(variable);
                for (int v = 0; v < count; v++) {
                    vars.put(variable, v);
                    block(i + 1, vars, out, true);
                }
                restore(vars, variable, saved);
                i = bodyEnd + 1;
                continue;
            }
            if (directive.startsWith("$if ")) {
                boolean taken = false;
                boolean cond = emit && truth(new Expression(directive.substring(4), vars, this, i).parse());
                int j = block(i + 1, vars, out, emit && cond);
                taken = cond;
                while (lines.get(j).strip().startsWith("$elif ")) {
                    boolean c = emit && !taken && truth(new Expression(lines.get(j).strip().substring(6), vars, this, j).parse());
                    j = block(j + 1, vars, out, c);
                    taken |= c;
                }
                if (lines.get(j).strip().equals("$else")) {
                    j = block(j + 1, vars, out, emit && !taken);
                }
                expect(j, "$endif");
                i = j + 1;
                continue;
            }
            throw error(i, "unknown directive " + directive);
        }
        return i;
    }

    private static void restore(Map<String, Object> vars, String variable, Object saved) {
        if (saved == null) {
            vars.remove(variable);
        } else {
            vars.put(variable, saved);
        }
    }

    private void expect(int i, String directive) {
        if (i >= lines.size() || !lines.get(i).strip().equals(directive)) {
            throw error(Math.min(i, lines.size() - 1), "expected " + directive);
        }
    }

    private String substitute(String line, Map<String, Object> vars, int at) {
        StringBuilder out = new StringBuilder();
        int from = 0;
        for (int open = line.indexOf("${"); open >= 0; open = line.indexOf("${", from)) {
            int close = line.indexOf('}', open);
            if (close < 0) {
                throw error(at, "unclosed ${");
            }
            out.append(line, from, open).append(new Expression(line.substring(open + 2, close), vars, this, at).parse());
            from = close + 1;
        }
        return out.append(line.substring(from)).toString();
    }

    private static boolean truth(Object value) {
        return value instanceof Integer i ? i != 0 : value instanceof Boolean b ? b : !value.toString().isEmpty();
    }

    IllegalArgumentException error(int line, String message) {
        return new IllegalArgumentException(name + ":" + (line + 1) + ": " + message);
    }

    /** One expression, parsed and evaluated in one pass (recursive descent). */
    private static final class Expression {
        private final String text;
        private final Map<String, Object> vars;
        private final Template template;
        private final int line;
        private int pos;

        Expression(String text, Map<String, Object> vars, Template template, int line) {
            this.text = text;
            this.vars = vars;
            this.template = template;
            this.line = line;
        }

        Object parse() {
            Object value = or();
            skip();
            if (pos != text.length()) {
                throw template.error(line, "cannot read '" + text.substring(pos) + "' in ${" + text + "}");
            }
            return value;
        }

        private Object or() {
            Object left = and();
            while (take("||")) {
                Object right = and();
                left = truth(left) || truth(right) ? 1 : 0;
            }
            return left;
        }

        private Object and() {
            Object left = comparison();
            while (take("&&")) {
                Object right = comparison();
                left = truth(left) && truth(right) ? 1 : 0;
            }
            return left;
        }

        private Object comparison() {
            Object left = sum();
            for (String op : new String[] {"==", "!=", "<=", ">=", "<", ">"}) {
                if (take(op)) {
                    Object right = sum();
                    int c = left instanceof Integer a && right instanceof Integer b ? Integer.compare(a, b)
                            : left.toString().compareTo(right.toString());
                    boolean r = switch (op) {
                        case "==" -> c == 0;
                        case "!=" -> c != 0;
                        case "<=" -> c <= 0;
                        case ">=" -> c >= 0;
                        case "<" -> c < 0;
                        default -> c > 0;
                    };
                    return r ? 1 : 0;
                }
            }
            return left;
        }

        private Object sum() {
            Object left = product();
            while (true) {
                if (take("+")) {
                    Object right = product();
                    left = left instanceof Integer a && right instanceof Integer b ? (Object) (a + b) : left + "" + right;
                } else if (peek('-') && !peek("->")) {
                    pos++;
                    left = integer(left) - integer(product());
                } else {
                    return left;
                }
            }
        }

        private Object product() {
            Object left = unary();
            while (true) {
                if (take("*")) {
                    left = integer(left) * integer(unary());
                } else if (take("/")) {
                    left = integer(left) / integer(unary());
                } else if (take("%")) {
                    left = integer(left) % integer(unary());
                } else {
                    return left;
                }
            }
        }

        private Object unary() {
            if (take("!")) {
                return truth(unary()) ? 0 : 1;
            }
            if (take("-")) {
                return -integer(unary());
            }
            return primary();
        }

        private Object primary() {
            skip();
            if (take("(")) {
                Object value = or();
                need(")");
                return value;
            }
            if (pos < text.length() && text.charAt(pos) == '"') {
                int close = text.indexOf('"', pos + 1);
                String s = text.substring(pos + 1, close);
                pos = close + 1;
                return s;
            }
            int start = pos;
            if (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                    pos++;
                }
                return Integer.parseInt(text.substring(start, pos));
            }
            while (pos < text.length() && Character.isJavaIdentifierPart(text.charAt(pos))) {
                pos++;
            }
            String id = text.substring(start, pos);
            if (id.isEmpty()) {
                throw template.error(line, "expected a value at '" + text.substring(pos) + "' in ${" + text + "}");
            }
            if (take("(")) {
                List<Object> args = new ArrayList<>();
                if (!take(")")) {
                    do {
                        args.add(or());
                    } while (take(","));
                    need(")");
                }
                return call(id, args);
            }
            if (!vars.containsKey(id)) {
                throw template.error(line, "no variable " + id);
            }
            return vars.get(id);
        }

        private Object call(String function, List<Object> args) {
            return switch (function) {
                case "plus" -> integer(args.get(0)) == 0 ? "" : " + " + args.get(0);
                case "times" -> switch (integer(args.get(0))) {
                    case 0 -> "";
                    case 1 -> " + " + args.get(1);
                    default -> " + " + args.get(0) + " * " + args.get(1);
                };
                case "pow2" -> 1 << integer(args.get(0));
                case "hex" -> "0x" + Integer.toHexString(integer(args.get(0))).toUpperCase(java.util.Locale.ROOT);
                default -> throw template.error(line, "no function " + function);
            };
        }

        private int integer(Object value) {
            if (value instanceof Integer i) {
                return i;
            }
            throw template.error(line, "'" + value + "' is not an integer in ${" + text + "}");
        }

        private void skip() {
            while (pos < text.length() && text.charAt(pos) == ' ') {
                pos++;
            }
        }

        private boolean peek(char c) {
            skip();
            return pos < text.length() && text.charAt(pos) == c;
        }

        private boolean peek(String s) {
            skip();
            return text.startsWith(s, pos);
        }

        private boolean take(String s) {
            skip();
            if (text.startsWith(s, pos)) {
                pos += s.length();
                return true;
            }
            return false;
        }

        private void need(String s) {
            if (!take(s)) {
                throw template.error(line, "expected " + s + " in ${" + text + "}");
            }
        }
    }
}
