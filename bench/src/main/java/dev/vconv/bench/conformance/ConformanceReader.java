package dev.vconv.bench.conformance;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.vconv.core.Activation;
import dev.vconv.core.BatchNorm2d;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.ConvTransposeSpec;
import dev.vconv.core.Epilogue;
import dev.vconv.core.PaddingMode;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Reads conformance files: JSON Lines, one case per line, in the format of the bundled {@code FORMAT.md}.
 *
 * <p>Every line becomes a {@link CaseLine}; nothing a line contains makes the reader throw. Sizes are checked
 * before anything is allocated, and every shape field is checked against the sizes it repeats, so that a
 * corrupt line is reported by name instead of surfacing later as a wrong result, an exception or an
 * {@link OutOfMemoryError}.
 */
public final class ConformanceReader {

    /** Classpath location of the vectors bundled with this module. */
    public static final String BUNDLED = "/conformance/cases.jsonl";

    /**
     * Largest size accepted for one dimension (batch, channels, height, width, kernel, stride, dilation,
     * padding). The vectors stay below 100; this only keeps the arithmetic on sizes far from overflow.
     */
    static final int MAX_DIM = 1 << 20;

    /**
     * Largest tensor accepted, in elements: 16 Mi floats (64 MiB). The vectors hold fewer than 4096
     * elements per tensor; anything near this limit is a corrupt size, not a test.
     */
    static final int MAX_ELEMENTS = 1 << 24;

    private static final String OP_CONV2D = "conv2d";
    private static final String OP_BACKWARD = "conv2d_backward";
    private static final String OP_TRANSPOSE = "conv_transpose2d";
    private static final String OP_FUSED = "conv2d_fused";

    // Duplicate keys and trailing garbage are corruption too: without these features Jackson would keep the
    // last duplicate and ignore the rest of the line.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ConformanceReader() {
    }

    /** Reads a file; blank lines are ignored. */
    public static List<CaseLine> read(Path file) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader);
        }
    }

    /** Reads the vectors bundled with this module ({@value #BUNDLED}). */
    public static List<CaseLine> readBundled() {
        InputStream stream = ConformanceReader.class.getResourceAsStream(BUNDLED);
        if (stream == null) {
            throw new IllegalStateException("bundled conformance vectors " + BUNDLED + " are missing from the class path");
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            return read(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled conformance vectors " + BUNDLED, e);
        }
    }

    /** Reads every line of {@code reader}; blank lines are ignored. */
    public static List<CaseLine> read(BufferedReader reader) throws IOException {
        List<CaseLine> lines = new ArrayList<>();
        int number = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            number++;
            if (!line.isBlank()) {
                lines.add(parseLine(number, line));
            }
        }
        return lines;
    }

    /** Parses one line; never throws on bad content. */
    public static CaseLine parseLine(int lineNumber, String line) {
        JsonNode root;
        try {
            root = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return new CaseLine.Malformed(lineNumber, "line " + lineNumber + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            return new CaseLine.Malformed(lineNumber, "line " + lineNumber + ": expected a JSON object, but got "
                    + (root == null ? "nothing" : root.getNodeType().toString().toLowerCase()));
        }
        Fields fields = new Fields(root);
        String where = "line " + lineNumber;
        try {
            String id = fields.text("id");
            where = "line " + lineNumber + " (" + id + ")";
            String op = fields.text("op");
            return switch (op) {
                case OP_CONV2D -> new CaseLine.Conv2dCase(lineNumber, conv2d(id, fields));
                case OP_BACKWARD -> new CaseLine.BackwardCase(lineNumber, backward(conv2d(id, fields), fields));
                case OP_TRANSPOSE -> new CaseLine.TransposedCase(lineNumber, transpose(id, fields));
                case OP_FUSED -> new CaseLine.FusedConv2dCase(lineNumber, fused(conv2d(id, fields), fields));
                default -> throw new MalformedCaseException("field 'op' must be one of conv2d, conv2d_backward, conv_transpose2d, "
                        + "conv2d_fused, but got '" + op + "'");
            };
        } catch (MalformedCaseException e) {
            return new CaseLine.Malformed(lineNumber, where + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            // Sizes that pass the per-field checks can still be rejected together by Shape or ConvSpec
            // (a product of dimensions too large for an array): still a bad line, not a crash.
            return new CaseLine.Malformed(lineNumber, where + ": invalid sizes: " + e.getMessage());
        }
    }

    private static ConformanceCase conv2d(String id, Fields f) throws MalformedCaseException {
        Sizes z = Sizes.read(f);
        String category = z.category();
        int[] pad = z.pad();
        boolean exact = z.exact();
        PaddingMode mode;
        try {
            mode = PaddingMode.fromTorchName(f.text("padding_mode"));
        } catch (IllegalArgumentException e) {
            throw new MalformedCaseException("field 'padding_mode': " + e.getMessage());
        }
        String paddingSpec = f.text("padding_spec");
        boolean same = switch (paddingSpec) {
            case "same" -> true;
            case "explicit" -> false;
            default -> throw new MalformedCaseException("field 'padding_spec' must be 'explicit' or 'same', but got '"
                    + paddingSpec + "'");
        };
        boolean hasBias = !f.isNull("bias");

        ConvSpec.Builder builder = ConvSpec.builder(z.cin(), z.cout(), z.kh(), z.kw()).stride(z.stride()[0], z.stride()[1])
                .dilation(z.dilation()[0], z.dilation()[1]).groups(z.groups()).bias(hasBias).paddingMode(mode);
        if (same) {
            builder.paddingSame();
        } else {
            builder.padding(pad[0], pad[1], pad[2], pad[3]);
        }
        ConvSpec spec;
        try {
            spec = builder.build();
        } catch (IllegalArgumentException e) {
            throw new MalformedCaseException("invalid convolution parameters: " + e.getMessage());
        }
        int[] resolved = {spec.padTop(), spec.padBottom(), spec.padLeft(), spec.padRight()};
        if (!Arrays.equals(resolved, pad)) {
            throw new MalformedCaseException("field 'pad' is " + Arrays.toString(pad) + ", but padding='same' resolves to "
                    + Arrays.toString(resolved) + " [top, bottom, left, right]");
        }

        Shape inputShape = f.shape("input_shape", z.inputShape());
        Shape weightShape = f.shape("weight_shape", spec.weightShape());
        Shape biasShape = hasBias ? f.shape("bias_shape", spec.biasShape()) : null;
        if (!hasBias && !f.isNull("bias_shape")) {
            throw new MalformedCaseException("field 'bias_shape' must be null when 'bias' is null");
        }
        Shape outputShape;
        try {
            outputShape = f.shape("output_shape", spec.outputShape(inputShape));
        } catch (IllegalArgumentException e) {
            throw new MalformedCaseException("invalid convolution for this input: " + e.getMessage());
        }
        int reductionLength = f.integer(f.object("reduction_length"), "reduction_length.output", "output", 1, Integer.MAX_VALUE);
        if (reductionLength != spec.reductionLength()) {
            throw new MalformedCaseException("field 'reduction_length.output' is " + reductionLength
                    + ", but (cin/groups)*kh*kw = " + spec.reductionLength());
        }
        return new ConformanceCase(id, category, spec,
                f.tensor("input", inputShape), f.tensor("weight", weightShape),
                hasBias ? f.tensor("bias", biasShape) : null, f.tensor("output", outputShape),
                reductionLength, exact);
    }

    /** The gradients of a backward case, on top of its forward part. */
    private static GradientCase backward(ConformanceCase forward, Fields f) throws MalformedCaseException {
        ConvSpec spec = forward.spec();
        JsonNode k = f.object("reduction_length");
        int kInput = f.integer(k, "reduction_length.grad_input", "grad_input", 1, Integer.MAX_VALUE);
        int kWeight = f.integer(k, "reduction_length.grad_weight", "grad_weight", 1, Integer.MAX_VALUE);
        int kBias = spec.hasBias() ? f.integer(k, "reduction_length.grad_bias", "grad_bias", 1, Integer.MAX_VALUE) : 0;
        Tensor gradBias = null;
        if (spec.hasBias()) {
            gradBias = f.tensor("grad_bias", spec.biasShape());
        } else if (!f.isNull("grad_bias")) {
            throw new MalformedCaseException("field 'grad_bias' must be null when 'bias' is null");
        }
        return new GradientCase(forward, f.tensor("grad_output", forward.expected().shape()),
                f.tensor("grad_input", forward.input().shape()), f.tensor("grad_weight", spec.weightShape()), gradBias,
                kInput, kWeight, kBias);
    }

    /** The epilogue of a fused case, and its BatchNorm, on top of its convolution part. */
    private static FusedCase fused(ConformanceCase conv, Fields f) throws MalformedCaseException {
        Shape outputShape = conv.expected().shape();
        Activation activation = activation(f.text("activation"), f.numbers("activation_params"));
        Epilogue epilogue = Epilogue.of(activation);
        Tensor residual = null;
        if (!f.isNull("residual")) {
            residual = f.tensor("residual", outputShape);
            try {
                epilogue = epilogue.withResidual(f.number(f.root(), "alpha", "alpha"));
            } catch (IllegalArgumentException e) {
                throw new MalformedCaseException("field 'alpha': " + e.getMessage());
            }
        } else if (!f.isNull("alpha")) {
            throw new MalformedCaseException("field 'alpha' must be null when 'residual' is null");
        }
        BatchNorm2d batchNorm = null;
        Tensor foldedWeight = null;
        Tensor foldedBias = null;
        if (!f.isNull("batch_norm")) {
            JsonNode bn = f.object("batch_norm");
            Fields b = new Fields(bn);
            Shape channels = Shape.of(conv.spec().outChannels());
            try {
                batchNorm = BatchNorm2d.of(b.tensor("gamma", channels), b.tensor("beta", channels), b.tensor("running_mean", channels),
                        b.tensor("running_var", channels), b.doubleNumber(bn, "batch_norm.eps", "eps"));
            } catch (IllegalArgumentException e) {
                throw new MalformedCaseException("field 'batch_norm': " + e.getMessage());
            }
            foldedWeight = b.tensor("folded_weight", conv.spec().weightShape());
            foldedBias = b.tensor("folded_bias", channels);
        }
        return new FusedCase(conv, epilogue, residual, batchNorm, foldedWeight, foldedBias, f.tensor("pre_activation", outputShape));
    }

    /** An activation by its name in the format, with its parameters ({@code clamp}: min, max; {@code leaky_relu}: slope). */
    private static Activation activation(String name, float[] params) throws MalformedCaseException {
        int expected = switch (name) {
            case "clamp" -> 2;
            case "leaky_relu" -> 1;
            case "identity", "relu", "relu6", "hardswish", "silu", "sigmoid", "tanh", "gelu", "gelu_tanh" -> 0;
            default -> throw new MalformedCaseException("field 'activation' must be one of identity, relu, relu6, clamp, leaky_relu, "
                    + "hardswish, silu, sigmoid, tanh, gelu, gelu_tanh, but got '" + name + "'");
        };
        if (params.length != expected) {
            throw new MalformedCaseException("field 'activation_params' must hold " + expected + " numbers for " + name + ", but got "
                    + params.length);
        }
        try {
            return switch (name) {
                case "identity" -> Activation.identity();
                case "relu" -> Activation.relu();
                case "relu6" -> Activation.relu6();
                case "clamp" -> Activation.clamp(params[0], params[1]);
                case "leaky_relu" -> Activation.leakyRelu(params[0]);
                case "hardswish" -> Activation.hardswish();
                case "silu" -> Activation.silu();
                case "sigmoid" -> Activation.sigmoid();
                case "tanh" -> Activation.tanh();
                case "gelu" -> Activation.gelu();
                default -> Activation.geluTanh();
            };
        } catch (IllegalArgumentException e) {
            throw new MalformedCaseException("field 'activation_params': " + e.getMessage());
        }
    }

    /** A transposed case: {@code pad} is {@code [ph, ph, pw, pw]}, PyTorch's {@code padding} argument. */
    private static TransposeCase transpose(String id, Fields f) throws MalformedCaseException {
        Sizes z = Sizes.read(f);
        String category = z.category();
        int[] pad = z.pad();
        int[] outputPadding = f.integers("output_padding", 2, 0, MAX_DIM);
        boolean exact = z.exact();
        boolean hasBias = !f.isNull("bias");
        if (pad[0] != pad[1] || pad[2] != pad[3]) {
            throw new MalformedCaseException("field 'pad' must be symmetric [ph, ph, pw, pw] for conv_transpose2d, but got "
                    + Arrays.toString(pad));
        }
        ConvTransposeSpec spec;
        try {
            spec = ConvTransposeSpec.builder(z.cin(), z.cout(), z.kh(), z.kw()).stride(z.stride()[0], z.stride()[1])
                    .padding(pad[0], pad[2]).outputPadding(outputPadding[0], outputPadding[1])
                    .dilation(z.dilation()[0], z.dilation()[1]).groups(z.groups()).bias(hasBias).build();
        } catch (IllegalArgumentException e) {
            throw new MalformedCaseException("invalid transposed-convolution parameters: " + e.getMessage());
        }
        Shape inputShape = f.shape("input_shape", z.inputShape());
        Shape weightShape = f.shape("weight_shape", spec.weightShape());
        Shape biasShape = hasBias ? f.shape("bias_shape", spec.biasShape()) : null;
        Shape outputShape;
        try {
            outputShape = f.shape("output_shape", spec.outputShape(inputShape));
        } catch (IllegalArgumentException e) {
            throw new MalformedCaseException("invalid transposed convolution for this input: " + e.getMessage());
        }
        int k = f.integer(f.object("reduction_length"), "reduction_length.output", "output", 1, Integer.MAX_VALUE);
        return new TransposeCase(id, category, spec, f.tensor("input", inputShape), f.tensor("weight", weightShape),
                hasBias ? f.tensor("bias", biasShape) : null, f.tensor("output", outputShape), k, exact);
    }

    /** The size fields every op shares, each checked as it is read. */
    private record Sizes(String category, int n, int cin, int h, int w, int cout, int kh, int kw, int[] stride, int[] pad,
                         int[] dilation, int groups, boolean exact) {

        static Sizes read(Fields f) throws MalformedCaseException {
            return new Sizes(f.text("category"), f.integer("n", 1, MAX_DIM), f.integer("cin", 1, MAX_DIM),
                    f.integer("h", 1, MAX_DIM), f.integer("w", 1, MAX_DIM), f.integer("cout", 1, MAX_DIM),
                    f.integer("kh", 1, MAX_DIM), f.integer("kw", 1, MAX_DIM), f.integers("stride", 2, 1, MAX_DIM),
                    f.integers("pad", 4, 0, MAX_DIM), f.integers("dilation", 2, 1, MAX_DIM), f.integer("groups", 1, MAX_DIM),
                    f.bool("exact"));
        }

        Shape inputShape() {
            return Shape.of(n, cin, h, w);
        }
    }

    /** Typed, checked access to the fields of one case; every failure names the field. */
    private record Fields(JsonNode root) {

        JsonNode required(JsonNode parent, String path, String name) throws MalformedCaseException {
            JsonNode value = parent.get(name);
            if (value == null) {
                throw new MalformedCaseException("missing field '" + path + "'");
            }
            return value;
        }

        boolean isNull(String name) throws MalformedCaseException {
            return required(root, name, name).isNull();
        }

        String text(String name) throws MalformedCaseException {
            JsonNode value = required(root, name, name);
            if (!value.isTextual()) {
                throw new MalformedCaseException("field '" + name + "' must be a string, but got " + brief(value));
            }
            return value.textValue();
        }

        boolean bool(String name) throws MalformedCaseException {
            JsonNode value = required(root, name, name);
            if (!value.isBoolean()) {
                throw new MalformedCaseException("field '" + name + "' must be true or false, but got " + brief(value));
            }
            return value.booleanValue();
        }

        /** A JSON number as a float, finite and within float32's range (the format stores parameters as float32 values). */
        float number(JsonNode parent, String path, String name) throws MalformedCaseException {
            return checkedFloat(required(parent, path, name), path);
        }

        /** A finite JSON number as a double. */
        double doubleNumber(JsonNode parent, String path, String name) throws MalformedCaseException {
            JsonNode value = required(parent, path, name);
            if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
                throw new MalformedCaseException("field '" + path + "' must be a finite number, but got " + brief(value));
            }
            return value.doubleValue();
        }

        /** A list of numbers, each as {@link #number}. */
        float[] numbers(String name) throws MalformedCaseException {
            JsonNode value = required(root, name, name);
            if (!value.isArray() || value.size() > 4) {
                throw new MalformedCaseException("field '" + name + "' must be a list of at most 4 numbers, but got " + brief(value));
            }
            float[] result = new float[value.size()];
            for (int i = 0; i < result.length; i++) {
                result[i] = checkedFloat(value.get(i), name + "[" + i + "]");
            }
            return result;
        }

        private static float checkedFloat(JsonNode value, String path) throws MalformedCaseException {
            if (!value.isNumber()) {
                throw new MalformedCaseException("field '" + path + "' must be a number, but got " + brief(value));
            }
            double d = value.doubleValue();
            if (!Double.isFinite(d) || Math.abs(d) > Float.MAX_VALUE) {
                throw new MalformedCaseException("field '" + path + "' must be a finite float32 value, but got " + brief(value));
            }
            return (float) d;
        }

        JsonNode object(String name) throws MalformedCaseException {
            JsonNode value = required(root, name, name);
            if (!value.isObject()) {
                throw new MalformedCaseException("field '" + name + "' must be an object, but got " + brief(value));
            }
            return value;
        }

        int integer(String name, int min, int max) throws MalformedCaseException {
            return integer(root, name, name, min, max);
        }

        int integer(JsonNode parent, String path, String name, int min, int max) throws MalformedCaseException {
            return checkedInt(required(parent, path, name), path, min, max);
        }

        int[] integers(String name, int count, int min, int max) throws MalformedCaseException {
            JsonNode value = required(root, name, name);
            if (!value.isArray() || value.size() != count) {
                throw new MalformedCaseException("field '" + name + "' must be a list of " + count + " integers, but got "
                        + brief(value));
            }
            int[] result = new int[count];
            for (int i = 0; i < count; i++) {
                result[i] = checkedInt(value.get(i), name + "[" + i + "]", min, max);
            }
            return result;
        }

        /** Reads a shape field and requires it to equal the shape the case's sizes imply. */
        Shape shape(String name, Shape implied) throws MalformedCaseException {
            JsonNode value = required(root, name, name);
            if (!value.isArray() || value.size() != implied.rank()) {
                throw new MalformedCaseException("field '" + name + "' must be a list of " + implied.rank()
                        + " sizes, but got " + brief(value));
            }
            int[] dims = new int[value.size()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = checkedInt(value.get(i), name + "[" + i + "]", 1, MAX_DIM);
            }
            if (!Arrays.equals(dims, implied.dims())) {
                throw new MalformedCaseException("field '" + name + "' is " + Arrays.toString(dims)
                        + ", but the case's sizes give " + implied);
            }
            return implied;
        }

        /**
         * Decodes a base64 little-endian float32 tensor of the given shape. The element count is bounded and
         * the decoded byte count checked before the float array is allocated.
         */
        Tensor tensor(String name, Shape shape) throws MalformedCaseException {
            JsonNode value = required(root, name, name);
            if (!value.isTextual()) {
                throw new MalformedCaseException("field '" + name + "' must be a base64 string, but got " + brief(value));
            }
            long elements = elementCount(shape);
            if (elements > MAX_ELEMENTS) {
                throw new MalformedCaseException("field '" + name + "' would hold a tensor of size " + shape + " = "
                        + elements + " elements, more than the " + MAX_ELEMENTS + " a conformance case may have");
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(value.textValue());
            } catch (IllegalArgumentException e) {
                throw new MalformedCaseException("field '" + name + "' is not valid base64: " + e.getMessage());
            }
            if (bytes.length != elements * Float.BYTES) {
                throw new MalformedCaseException("field '" + name + "' decodes to " + bytes.length + " bytes, but a float32 tensor of size "
                        + shape + " needs " + elements * Float.BYTES);
            }
            float[] data = new float[(int) elements];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
            return Tensor.of(data, shape);
        }

        private static int checkedInt(JsonNode value, String path, int min, int max) throws MalformedCaseException {
            if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                throw new MalformedCaseException("field '" + path + "' must be an integer in [" + min + ", " + max
                        + "], but got " + brief(value));
            }
            int result = value.intValue();
            if (result < min || result > max) {
                throw new MalformedCaseException("field '" + path + "' must be in [" + min + ", " + max + "], but got " + result);
            }
            return result;
        }

        private static long elementCount(Shape shape) {
            long count = 1;
            for (int d : shape.dims()) {
                count *= d;
            }
            return count;
        }

        /** The value as JSON, cut short: enough to recognise it in a message. */
        private static String brief(JsonNode value) {
            String text = value.toString();
            return text.length() <= 40 ? text : text.substring(0, 37) + "...";
        }
    }

    /** A field of a case is missing or wrong; the message names the field, the value and the rule. */
    private static final class MalformedCaseException extends Exception {
        MalformedCaseException(String message) {
            super(message, null, false, false);
        }
    }
}
