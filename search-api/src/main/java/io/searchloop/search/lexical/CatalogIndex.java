package io.searchloop.search.lexical;

import io.searchloop.schemas.keys.QueryNormalizer;
import io.searchloop.search.query.Hit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.ru.RussianAnalyzer;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.BytesRefHash;
import org.apache.lucene.util.StringHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog as a Lucene BM25 index in memory: one document per item, title and category stemmed
 * by Lucene's Russian analyzer (Latin words pass through it unstemmed), and the title's plain
 * lower-cased words for prefix and typo matching. A query's words are alternatives ({@link
 * #query}), so an item with more of them ranks higher and an item with any of them still comes.
 *
 * <p>{@link #replaceAll} makes the index hold exactly the given rows (adding, changing and deleting
 * what differs from the last call) and only then shows them to searches, which read the last
 * complete state meanwhile. It is called by one thread at a time; searches run concurrently. Memory
 * grows with the catalog: the index plus the last rows seen (id, title, category) to tell what
 * changed.
 */
public final class CatalogIndex implements AutoCloseable {
    /** One catalog item as the index reads it. */
    public record Row(String id, String title, String category) {}

    private static final Logger LOG = LoggerFactory.getLogger(CatalogIndex.class);

    /**
     * Longest category an exact category filter can name (the API refuses longer filters), so
     * longer ones need no exact term, which Lucene could not hold past 32,766 bytes.
     */
    private static final int MAX_CATEGORY_FILTER = 200;

    /** Characters a term always fits in: Lucene's 32,766 bytes at 4 UTF-8 bytes each. */
    private static final int SAFE_TERM_CHARS = 8_191;

    /**
     * Title words a misspelled query word may stand for: 32 unknown words at Lucene's default of 50
     * would pass its limit of 1,024 clauses per query.
     */
    private static final int MAX_FUZZY_EXPANSIONS = 8;

    private static final String ID = "id";
    private static final String TITLE = "title";
    private static final String CATEGORY = "category";
    private static final String CATEGORY_EXACT = "category_exact";
    private static final String WORDS = "words";

    /**
     * Best score first, equal scores in product id order, also where they cross the k-th place: a
     * top k by score alone breaks ties by document order, which differs between instances that
     * loaded the catalog in different orders. The score leads, so Lucene still skips blocks that
     * cannot reach the k-th score.
     */
    private static final Sort BEST_THEN_ID =
            new Sort(SortField.FIELD_SCORE, new SortField(ID, SortField.Type.STRING));

    private final Analyzer stemmed = new RussianAnalyzer();
    private final Analyzer plain = plainWords();
    private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Map<String, Row> known = new HashMap<>();

    public CatalogIndex() {
        try {
            writer =
                    new IndexWriter(
                            directory,
                            new IndexWriterConfig(
                                    new PerFieldAnalyzerWrapper(stemmed, Map.of(WORDS, plain))));
            searchers = new SearcherManager(writer, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open an in-memory Lucene index", e);
        }
    }

    /**
     * Makes the index hold exactly {@code rows} (ids unique) and shows the result to searches.
     * Returns how many documents were added, changed or deleted.
     */
    public synchronized int replaceAll(Iterable<Row> rows) throws IOException {
        int changed = 0;
        Set<String> seen = new HashSet<>();
        for (Row row : rows) {
            seen.add(row.id());
            if (!row.equals(known.get(row.id()))) {
                try {
                    writer.updateDocument(new Term(ID, row.id()), document(row));
                    changed++;
                } catch (IllegalArgumentException
                        | BytesRefHash.MaxBytesLengthExceededException e) {
                    // A term Lucene cannot hold (over 32,766 bytes): this row is left out, and
                    // every other change still reaches the index. An earlier version of the row
                    // goes too, unless its id is itself what Lucene cannot hold.
                    LOG.warn("catalog item left out of the lexical index: {}", e.getMessage());
                    if (row.id().length() <= SAFE_TERM_CHARS) {
                        writer.deleteDocuments(new Term(ID, row.id()));
                    }
                }
                known.put(row.id(), row);
            }
        }
        List<String> gone = new ArrayList<>();
        for (String id : known.keySet()) {
            if (!seen.contains(id)) {
                gone.add(id);
            }
        }
        for (String id : gone) {
            writer.deleteDocuments(new Term(ID, id));
            known.remove(id);
            changed++;
        }
        searchers.maybeRefreshBlocking();
        return changed;
    }

    /** Items in the index searches see. */
    public int size() throws IOException {
        IndexSearcher s = searchers.acquire();
        try {
            return s.getIndexReader().numDocs();
        } finally {
            searchers.release(s);
        }
    }

    /** Bytes the index holds in memory (its files plus the writer's buffer). */
    public long ramBytes() {
        long bytes = writer.ramBytesUsed();
        try {
            for (String file : directory.listAll()) {
                bytes += directory.fileLength(file);
            }
        } catch (IOException e) {
            // a file merged away while being counted: the next reading counts again
        }
        return bytes;
    }

    /** The best {@code k} items for the words of {@code normalizedQuery}, best first. */
    public List<Hit> search(String normalizedQuery, String category, int k) throws IOException {
        IndexSearcher s = searchers.acquire();
        try {
            Query words = query(s, stemmed, plain, normalizedQuery);
            if (words == null || k <= 0) {
                return List.of();
            }
            Query q = words;
            if (category != null) {
                q =
                        new BooleanQuery.Builder()
                                .add(words, Occur.MUST)
                                .add(
                                        new TermQuery(new Term(CATEGORY_EXACT, category)),
                                        Occur.FILTER)
                                .build();
            }
            TopDocs top = s.search(q, k, BEST_THEN_ID);
            List<Hit> hits = new ArrayList<>(top.scoreDocs.length);
            for (ScoreDoc d : top.scoreDocs) {
                Document doc = s.storedFields().document(d.doc);
                float score = (Float) ((FieldDoc) d).fields[0];
                hits.add(new Hit(doc.get(ID), doc.get(TITLE), doc.get(CATEGORY), score));
            }
            return hits;
        } finally {
            searchers.release(s);
        }
    }

    /**
     * The Lucene query for a normalized query over what {@code s} holds, or null when it has no
     * word to look for. Per word, all alternatives: its Russian stem in the title (weight 2) and
     * the category (1); a word of three or more characters also as the start of a title word (a
     * constant 1: "дымо" finds "дымоход"); a word of four or more that is no stem and no word start
     * in the index, probably misspelled, within one edit of a title word (two from eight
     * characters; weight 0.5). Russian stop words ("для", "на") are left out: as prefixes they
     * would match half the catalog. Fuzzy matching only for unknown words keeps its automata off
     * the common path (they cost several times the rest of a query).
     */
    static Query query(IndexSearcher s, Analyzer stemmed, Analyzer plain, String normalizedQuery)
            throws IOException {
        BooleanQuery.Builder all = new BooleanQuery.Builder();
        int clauses = 0;
        for (String word : tokens(plain, WORDS, normalizedQuery)) {
            List<String> stems = tokens(stemmed, TITLE, word);
            if (stems.isEmpty()) {
                continue; // a stop word
            }
            BooleanQuery.Builder one = new BooleanQuery.Builder();
            boolean known = false;
            for (String stem : stems) {
                Term title = new Term(TITLE, stem);
                Term category = new Term(CATEGORY, stem);
                one.add(new BoostQuery(new TermQuery(title), 2f), Occur.SHOULD);
                one.add(new TermQuery(category), Occur.SHOULD);
                known |= s.getIndexReader().docFreq(title) > 0;
                known |= s.getIndexReader().docFreq(category) > 0;
            }
            if (word.length() >= 3) {
                one.add(new PrefixQuery(new Term(WORDS, word)), Occur.SHOULD);
                known |= startsSomeWord(s, word);
            }
            if (!known && word.length() >= 4) {
                one.add(
                        new BoostQuery(
                                new FuzzyQuery(
                                        new Term(WORDS, word),
                                        word.length() >= 8 ? 2 : 1,
                                        1,
                                        MAX_FUZZY_EXPANSIONS,
                                        true),
                                0.5f),
                        Occur.SHOULD);
            }
            all.add(one.build(), Occur.SHOULD);
            clauses++;
        }
        return clauses == 0 ? null : all.build();
    }

    /** Whether some title word in the index starts with {@code prefix}. */
    private static boolean startsSomeWord(IndexSearcher s, String prefix) throws IOException {
        BytesRef start = new BytesRef(prefix);
        for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
            Terms terms = leaf.reader().terms(WORDS);
            if (terms == null) {
                continue;
            }
            TermsEnum e = terms.iterator();
            if (e.seekCeil(start) != TermsEnum.SeekStatus.END
                    && StringHelper.startsWith(e.term(), start)) {
                return true;
            }
        }
        return false;
    }

    private Document document(Row row) {
        String title = QueryNormalizer.normalize(row.title());
        Document d = new Document();
        d.add(new StringField(ID, row.id(), Field.Store.YES));
        d.add(new SortedDocValuesField(ID, new BytesRef(row.id())));
        d.add(new StoredField(TITLE, row.title()));
        d.add(new TextField(TITLE, title, Field.Store.NO));
        d.add(new TextField(WORDS, title, Field.Store.NO));
        if (row.category() != null) {
            d.add(new StoredField(CATEGORY, row.category()));
            d.add(
                    new TextField(
                            CATEGORY, QueryNormalizer.normalize(row.category()), Field.Store.NO));
            if (row.category().length() <= MAX_CATEGORY_FILTER) {
                d.add(new StringField(CATEGORY_EXACT, row.category(), Field.Store.NO));
            }
        }
        return d;
    }

    /** The terms {@code analyzer} makes of {@code text} in {@code field}. */
    static List<String> tokens(Analyzer analyzer, String field, String text) throws IOException {
        List<String> out = new ArrayList<>();
        try (TokenStream ts = analyzer.tokenStream(field, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                out.add(term.toString());
            }
            ts.end();
        }
        return out;
    }

    /** Words as written, lower-cased: for prefixes and typos, which stems would blur. */
    private static Analyzer plainWords() {
        return new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String field) {
                Tokenizer words = new StandardTokenizer();
                return new TokenStreamComponents(words, new LowerCaseFilter(words));
            }
        };
    }

    /** Closes the index after a {@link #replaceAll} in progress has returned. */
    @Override
    public synchronized void close() throws IOException {
        searchers.close();
        writer.close();
        stemmed.close();
        plain.close();
    }
}
