package dev.mitra.engine.es9;

import java.util.List;
import java.util.regex.Pattern;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.email.UAX29URLEmailTokenizer;
import org.apache.lucene.analysis.pattern.PatternCaptureGroupTokenFilter;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.AbstractTokenizerFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;

/**
 * The analysis the {@code .security} index's "email" analyzer is declared with
 * (tokenizer uax_url_email; filters pattern_capture, lowercase, unique), built
 * on the Lucene classes analysis-common wraps, with the same settings.
 */
final class SecurityIndexAnalysis {
    private SecurityIndexAnalysis() {
    }

    static TokenFilterFactory patternCapture(final IndexSettings index, final Environment env, final String name, final Settings settings) {
        final List<String> regexes = settings.getAsList("patterns");
        if (regexes.isEmpty()) {
            throw new IllegalArgumentException("required setting 'patterns' is missing for token filter [" + name + "]");
        }
        final Pattern[] patterns = regexes.stream().map(Pattern::compile).toArray(Pattern[]::new);
        final boolean preserveOriginal = settings.getAsBoolean("preserve_original", true);
        return new AbstractTokenFilterFactory(name) {
            @Override
            public TokenStream create(final TokenStream in) {
                return new PatternCaptureGroupTokenFilter(in, preserveOriginal, patterns);
            }
        };
    }

    static TokenFilterFactory lowercase(final IndexSettings index, final Environment env, final String name, final Settings settings) {
        return new AbstractTokenFilterFactory(name) {
            @Override
            public TokenStream create(final TokenStream in) {
                return new LowerCaseFilter(in);
            }
        };
    }

    static TokenFilterFactory unique(final IndexSettings index, final Environment env, final String name, final Settings settings) {
        final boolean onlyOnSamePosition = settings.getAsBoolean("only_on_same_position", false);
        return new AbstractTokenFilterFactory(name) {
            @Override
            public TokenStream create(final TokenStream in) {
                return new UniqueTokenFilter(in, onlyOnSamePosition);
            }
        };
    }

    static TokenizerFactory uaxUrlEmail(final IndexSettings index, final Environment env, final String name, final Settings settings) {
        final int maxTokenLength = settings.getAsInt("max_token_length", 255);
        return new AbstractTokenizerFactory(name) {
            @Override
            public Tokenizer create() {
                final UAX29URLEmailTokenizer tokenizer = new UAX29URLEmailTokenizer();
                tokenizer.setMaxTokenLength(maxTokenLength);
                return tokenizer;
            }
        };
    }

    /** Drops a token already seen in the stream (or, optionally, at the same position). */
    static final class UniqueTokenFilter extends TokenFilter {
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
        private final PositionIncrementAttribute position = addAttribute(PositionIncrementAttribute.class);
        private final CharArraySet seen = new CharArraySet(8, false);
        private final boolean onlyOnSamePosition;

        UniqueTokenFilter(final TokenStream in, final boolean onlyOnSamePosition) {
            super(in);
            this.onlyOnSamePosition = onlyOnSamePosition;
        }

        @Override
        public boolean incrementToken() throws java.io.IOException {
            while (input.incrementToken()) {
                if (onlyOnSamePosition && position.getPositionIncrement() > 0) {
                    seen.clear();
                }
                final char[] copy = new char[term.length()];
                System.arraycopy(term.buffer(), 0, copy, 0, term.length());
                if (seen.add(copy)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void reset() throws java.io.IOException {
            super.reset();
            seen.clear();
        }
    }
}
