package io.argowasm.argo;

import java.io.InputStream;
import java.io.Reader;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.io.IOContext;
import tools.jackson.core.json.ByteSourceJsonBootstrapper;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonFactoryBuilder;
import tools.jackson.core.json.ReaderBasedJsonParser;
import tools.jackson.core.sym.ByteQuadsCanonicalizer;
import tools.jackson.core.sym.CharsToNameCanonicalizer;

/**
 * A JSON factory whose every parser starts from a table of property names of its own. Jackson's own
 * shares one table among all parsers of a factory and keeps what each parse added, so names crafted
 * to collide in one body (refused as a hash-collision attack) stayed behind and made later,
 * ordinary bodies fail. With a table per parse one body cannot affect another, and each body is
 * still checked for colliding names and, read from bytes, for valid UTF-8.
 */
final class OwnSymbolsJsonFactory extends JsonFactory {

    private static final long serialVersionUID = 1L;

    OwnSymbolsJsonFactory(JsonFactoryBuilder builder) {
        super(builder);
    }

    private OwnSymbolsJsonFactory(OwnSymbolsJsonFactory base) {
        super(base);
    }

    @Override
    public JsonFactory copy() {
        return new OwnSymbolsJsonFactory(this);
    }

    @Override
    protected JsonParser _createParser(
            ObjectReadContext read, IOContext io, byte[] data, int offset, int length) {
        _checkRangeBoundsForByteArray(data, offset, length);
        _streamReadConstraints.validateDocumentLength(length);
        return new ByteSourceJsonBootstrapper(io, data, offset, length)
                .constructParser(
                        read,
                        read.getStreamReadFeatures(_streamReadFeatures),
                        read.getFormatReadFeatures(_formatReadFeatures),
                        ByteQuadsCanonicalizer.createRoot(),
                        CharsToNameCanonicalizer.createRoot(this),
                        _factoryFeatures);
    }

    @Override
    protected JsonParser _createParser(ObjectReadContext read, IOContext io, InputStream in) {
        return new ByteSourceJsonBootstrapper(io, in)
                .constructParser(
                        read,
                        read.getStreamReadFeatures(_streamReadFeatures),
                        read.getFormatReadFeatures(_formatReadFeatures),
                        ByteQuadsCanonicalizer.createRoot(),
                        CharsToNameCanonicalizer.createRoot(this),
                        _factoryFeatures);
    }

    @Override
    protected JsonParser _createParser(ObjectReadContext read, IOContext io, Reader reader) {
        return new ReaderBasedJsonParser(
                read,
                io,
                read.getStreamReadFeatures(_streamReadFeatures),
                read.getFormatReadFeatures(_formatReadFeatures),
                reader,
                CharsToNameCanonicalizer.createRoot(this).makeChild());
    }

    @Override
    protected JsonParser _createParser(
            ObjectReadContext read,
            IOContext io,
            char[] data,
            int offset,
            int length,
            boolean recyclable) {
        _checkRangeBoundsForCharArray(data, offset, length);
        _streamReadConstraints.validateDocumentLength(length);
        return new ReaderBasedJsonParser(
                read,
                io,
                read.getStreamReadFeatures(_streamReadFeatures),
                read.getFormatReadFeatures(_formatReadFeatures),
                null,
                CharsToNameCanonicalizer.createRoot(this).makeChild(),
                data,
                offset,
                offset + length,
                recyclable);
    }
}
