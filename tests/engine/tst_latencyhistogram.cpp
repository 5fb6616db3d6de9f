#include "stats/LatencyHistogram.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

using swarm::LatencyHistogram;

namespace {

using Sample = std::vector<quint64>;

// Own transforms over mt19937_64 (whose output the standard fixes): std's distributions differ
// between library implementations, and these samples must be the same everywhere.
class Random
{
public:
    explicit Random(quint64 seed)
        : m_engine(seed)
    { }
    double uniform() { return double(m_engine() >> 11) * (1.0 / 9007199254740992.0); } // [0, 1)
    quint64 between(quint64 low, quint64 high) { return low + m_engine() % (high - low + 1); }
    double exponential(double mean) { return -mean * std::log(1.0 - uniform()); }
    double normal()
    {
        const double u = 1.0 - uniform(); // (0, 1]
        return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * M_PI * uniform());
    }

private:
    std::mt19937_64 m_engine;
};

quint64 toMicros(double v)
{
    if (v < 1.0) return 1;
    if (v > 1e12) return quint64(1e12);
    return quint64(std::llround(v));
}

// Exact nearest rank for p given in tenths of a percent, in integers: the reference must not share
// the implementation's floating-point rounding.
quint64 exactPercentile(Sample sorted, int perMille)
{
    std::sort(sorted.begin(), sorted.end());
    const quint64 n = sorted.size();
    quint64 rank = (quint64(perMille) * n + 999) / 1000;
    rank = std::clamp<quint64>(rank, 1, n);
    return std::min(sorted[size_t(rank - 1)], LatencyHistogram::kMaxValue);
}

LatencyHistogram histogramOf(const Sample& sample, size_t from = 0, size_t to = size_t(-1))
{
    LatencyHistogram h;
    to = std::min(to, sample.size());
    for (size_t i = from; i < to; ++i)
        h.record(sample[i]);
    return h;
}

Sample uniformSample()
{
    Random r(1);
    Sample s(200000);
    for (quint64& v : s)
        v = r.between(1, 1000000);
    return s;
}

Sample exponentialSample()
{
    Random r(2);
    Sample s(200000);
    for (quint64& v : s)
        v = toMicros(r.exponential(2000.0));
    return s;
}

Sample logNormalSample()
{
    // Median 2 ms, sigma 2.5: from single microseconds to many seconds.
    Random r(3);
    Sample s(200000);
    for (quint64& v : s)
        v = toMicros(std::exp(std::log(2000.0) + 2.5 * r.normal()));
    return s;
}

Sample bimodalSample()
{
    Random r(4);
    Sample s(100000);
    for (quint64& v : s) {
        if (r.uniform() < 0.9)
            v = toMicros(200.0 + 20.0 * r.normal());
        else
            v = toMicros(50000.0 + 5000.0 * r.normal());
    }
    return s;
}

Sample exactBimodalSample()
{
    // 90 % exactly 200 µs, 10 % exactly 50 ms: p90 must be the fast mode and p99 the slow one;
    // an off-by-one rank would swap them.
    Sample s;
    for (int i = 0; i < 1000; ++i)
        s.push_back(i % 10 == 9 ? 50000 : 200);
    return s;
}

Sample constantSample(quint64 value)
{
    return Sample(5000, value);
}

Sample boundarySample()
{
    Sample s;
    for (int b = 0; b < LatencyHistogram::bucketCount(); b += 7) {
        s.push_back(LatencyHistogram::bucketLow(b));
        s.push_back(LatencyHistogram::bucketHigh(b));
    }
    return s;
}

Sample beyondMaxSample()
{
    Random r(5);
    Sample s;
    for (int i = 0; i < 10000; ++i) {
        const double u = r.uniform();
        if (u < 0.98)
            s.push_back(r.between(100, 100000));
        else
            s.push_back(LatencyHistogram::kMaxValue + r.between(1, quint64(1) << 40));
    }
    s.push_back(std::numeric_limits<quint64>::max());
    return s;
}

Sample smallSample()
{
    return {7, 3, 900, 12345678, 42};
}

} // namespace

Q_DECLARE_METATYPE(Sample)

class TstLatencyHistogram : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bucketLayout();
    void bucketBoundsInvertBucketOf();
    void bucketWidthWithinResolution();
    void clampsAboveMax();
    void emptyHistogram();
    void singleValue();
    void percentiles_data();
    void percentiles();
    void merging_data();
    void merging();
    void mergeEdgeCases();
    void resetAndMove();
    void equality();

private:
    void addSamples();
};

void TstLatencyHistogram::bucketLayout()
{
    QCOMPARE(LatencyHistogram::bucketCount(), 3328);
    for (quint64 v = 0; v < 256; ++v)
        QCOMPARE(LatencyHistogram::bucketOf(v), int(v));
    QCOMPARE(LatencyHistogram::bucketOf(256), 256);
    QCOMPARE(LatencyHistogram::bucketOf(257), 256);
    QCOMPARE(LatencyHistogram::bucketOf(258), 257);
    QCOMPARE(LatencyHistogram::bucketOf(511), 383);
    QCOMPARE(LatencyHistogram::bucketOf(512), 384);
    QCOMPARE(LatencyHistogram::bucketOf(LatencyHistogram::kMaxValue),
        LatencyHistogram::bucketCount() - 1);
    QCOMPARE(LatencyHistogram::bucketHigh(LatencyHistogram::bucketCount() - 1),
        LatencyHistogram::kMaxValue);
    QCOMPARE(LatencyHistogram::bucketLow(0), quint64(0));
}

void TstLatencyHistogram::bucketBoundsInvertBucketOf()
{
    const int n = LatencyHistogram::bucketCount();
    for (int b = 0; b < n; ++b) {
        const quint64 low = LatencyHistogram::bucketLow(b);
        const quint64 high = LatencyHistogram::bucketHigh(b);
        QVERIFY2(low <= high, qPrintable(QString::number(b)));
        QCOMPARE(LatencyHistogram::bucketOf(low), b);
        QCOMPARE(LatencyHistogram::bucketOf(high), b);
        if (b + 1 < n) {
            QCOMPARE(LatencyHistogram::bucketOf(high + 1), b + 1);
            QCOMPARE(LatencyHistogram::bucketLow(b + 1), high + 1); // no gaps
        }
        if (b > 0) QCOMPARE(LatencyHistogram::bucketOf(low - 1), b - 1);
    }
}

void TstLatencyHistogram::bucketWidthWithinResolution()
{
    // The documented promise: a bucket spans at most 1/128 of its values.
    for (int b = 256; b < LatencyHistogram::bucketCount(); ++b) {
        const quint64 low = LatencyHistogram::bucketLow(b);
        const quint64 width = LatencyHistogram::bucketHigh(b) - low + 1;
        QVERIFY2(width * 128 <= low, qPrintable(QString::number(b)));
    }
    // And bucketOf is monotonic over a dense scan of random values.
    Random r(9);
    for (int i = 0; i < 100000; ++i) {
        const quint64 a = r.between(0, LatencyHistogram::kMaxValue);
        const quint64 b = r.between(0, LatencyHistogram::kMaxValue);
        if (a <= b) QVERIFY(LatencyHistogram::bucketOf(a) <= LatencyHistogram::bucketOf(b));
        const int bucket = LatencyHistogram::bucketOf(a);
        QVERIFY(
            LatencyHistogram::bucketLow(bucket) <= a && a <= LatencyHistogram::bucketHigh(bucket));
    }
}

void TstLatencyHistogram::clampsAboveMax()
{
    const int last = LatencyHistogram::bucketCount() - 1;
    QCOMPARE(LatencyHistogram::bucketOf(LatencyHistogram::kMaxValue + 1), last);
    QCOMPARE(LatencyHistogram::bucketOf(std::numeric_limits<quint64>::max()), last);
    QCOMPARE(LatencyHistogram::bucketLow(last + 5), LatencyHistogram::bucketLow(last));
    QCOMPARE(LatencyHistogram::bucketHigh(last + 5), LatencyHistogram::kMaxValue);
    QCOMPARE(LatencyHistogram::bucketLow(-3), quint64(0));

    LatencyHistogram h;
    h.record(std::numeric_limits<quint64>::max());
    h.record(LatencyHistogram::kMaxValue + 1);
    QCOMPARE(h.count(), quint64(2));
    QCOMPARE(h.min(), LatencyHistogram::kMaxValue);
    QCOMPARE(h.max(), LatencyHistogram::kMaxValue);
    QCOMPARE(h.mean(), double(LatencyHistogram::kMaxValue));
    QCOMPARE(h.percentile(50), LatencyHistogram::kMaxValue);
}

void TstLatencyHistogram::emptyHistogram()
{
    const LatencyHistogram h;
    QVERIFY(h.isEmpty());
    QCOMPARE(h.count(), quint64(0));
    QCOMPARE(h.min(), quint64(0));
    QCOMPARE(h.max(), quint64(0));
    QCOMPARE(h.mean(), 0.0);
    for (double p : {0.0, 50.0, 99.9, 100.0, 150.0})
        QCOMPARE(h.percentile(p), quint64(0));
    QVERIFY(h == LatencyHistogram());

    LatencyHistogram merged;
    merged.add(h);
    QVERIFY(merged.isEmpty());
    QVERIFY(merged == h);
}

void TstLatencyHistogram::singleValue()
{
    LatencyHistogram h;
    h.record(0);
    QCOMPARE(h.count(), quint64(1));
    QCOMPARE(h.min(), quint64(0));
    QCOMPARE(h.max(), quint64(0));
    QCOMPARE(h.percentile(50), quint64(0));

    LatencyHistogram one;
    one.record(123457);
    for (double p : {-5.0, 0.0, 0.001, 50.0, 99.999, 100.0, 200.0})
        QCOMPARE(one.percentile(p), quint64(123457)); // clamped to [min, max]
    QCOMPARE(one.mean(), 123457.0);
}

void TstLatencyHistogram::addSamples()
{
    QTest::addColumn<Sample>("sample");
    QTest::newRow("uniform 1..1e6") << uniformSample();
    QTest::newRow("exponential mean 2 ms") << exponentialSample();
    QTest::newRow("log-normal us..s") << logNormalSample();
    QTest::newRow("bimodal 200 us + 50 ms") << bimodalSample();
    QTest::newRow("exact bimodal") << exactBimodalSample();
    QTest::newRow("constant 1") << constantSample(1);
    QTest::newRow("constant 255") << constantSample(255);
    QTest::newRow("constant 256") << constantSample(256);
    QTest::newRow("constant 1234567") << constantSample(1234567);
    QTest::newRow("constant max") << constantSample(LatencyHistogram::kMaxValue);
    QTest::newRow("bucket boundaries") << boundarySample();
    QTest::newRow("beyond kMaxValue") << beyondMaxSample();
    QTest::newRow("five values") << smallSample();
}

void TstLatencyHistogram::percentiles_data()
{
    addSamples();
}

void TstLatencyHistogram::percentiles()
{
    QFETCH(Sample, sample);
    const LatencyHistogram h = histogramOf(sample);

    Sample clamped = sample;
    quint64 sum = 0;
    for (quint64& v : clamped) {
        v = std::min(v, LatencyHistogram::kMaxValue);
        sum += v;
    }
    QCOMPARE(h.count(), quint64(sample.size()));
    QCOMPARE(h.min(), *std::min_element(clamped.begin(), clamped.end()));
    QCOMPARE(h.max(), *std::max_element(clamped.begin(), clamped.end()));
    QCOMPARE(h.mean(), double(sum) / double(clamped.size()));

    for (int perMille : {500, 900, 990, 999, 1000}) {
        const double p = perMille / 10.0;
        const quint64 exact = exactPercentile(clamped, perMille);
        const quint64 got = h.percentile(p);
        const double error = std::abs(double(got) - double(exact));
        // A bucket above 255 spans 2^s values starting at >= 128 * 2^s, and the midpoint is at
        // most 2^(s-1) away from any of them: 1/256 of the value (the header's "0.4 %"). Below
        // 256 every value has its own bucket (error 0).
        QVERIFY2(error <= double(exact) / 256.0,
            qPrintable(QStringLiteral("p%1: histogram %2, exact %3").arg(p).arg(got).arg(exact)));
        if (perMille == 1000) QCOMPARE(got, h.max());
    }
}

void TstLatencyHistogram::merging_data()
{
    addSamples();
}

void TstLatencyHistogram::merging()
{
    QFETCH(Sample, sample);
    const LatencyHistogram whole = histogramOf(sample);

    // Uneven parts, some empty, as worker threads would produce.
    for (int parts : {1, 2, 3, 8, 17}) {
        std::vector<LatencyHistogram> workers(size_t(parts) + 1); // the last stays empty
        Random r {quint64(parts)};
        for (quint64 v : sample)
            workers[size_t(r.between(0, quint64(parts) - 1))].record(v);

        LatencyHistogram merged;
        for (const LatencyHistogram& w : workers)
            merged.add(w);
        QVERIFY2(merged == whole, qPrintable(QStringLiteral("%1 parts").arg(parts)));

        // Merging in another order, into a non-empty histogram, gives the same.
        LatencyHistogram reversed = workers.front();
        for (size_t i = workers.size(); i-- > 1;)
            reversed.add(workers[i]);
        QVERIFY(reversed == whole);

        for (double p : {0.0, 1.0, 25.0, 50.0, 75.0, 90.0, 95.0, 99.0, 99.9, 99.99, 100.0})
            QCOMPARE(merged.percentile(p), whole.percentile(p));
        QCOMPARE(merged.count(), whole.count());
        QCOMPARE(merged.min(), whole.min());
        QCOMPARE(merged.max(), whole.max());
        QCOMPARE(merged.mean(), whole.mean());
    }

    // Contiguous halves too.
    LatencyHistogram halves = histogramOf(sample, 0, sample.size() / 2);
    halves.add(histogramOf(sample, sample.size() / 2));
    QVERIFY(halves == whole);
}

void TstLatencyHistogram::mergeEdgeCases()
{
    LatencyHistogram a;
    a.record(10);
    a.record(5000);

    LatencyHistogram intoEmpty;
    intoEmpty.add(a);
    QVERIFY(intoEmpty == a);
    QCOMPARE(intoEmpty.min(), quint64(10));

    LatencyHistogram withEmpty = a;
    withEmpty.add(LatencyHistogram());
    QVERIFY(withEmpty == a);

    // A histogram added to itself: every count doubles.
    LatencyHistogram twice = a;
    twice.add(twice);
    LatencyHistogram expected;
    for (quint64 v : {10, 5000, 10, 5000})
        expected.record(v);
    QVERIFY(twice == expected);

    // The merged minimum comes from whichever side has it.
    LatencyHistogram low;
    low.record(3);
    LatencyHistogram merged = a;
    merged.add(low);
    QCOMPARE(merged.min(), quint64(3));
    QCOMPARE(merged.max(), quint64(5000));
}

void TstLatencyHistogram::resetAndMove()
{
    LatencyHistogram h;
    h.record(77);
    h.record(100000);
    h.reset();
    QVERIFY(h.isEmpty());
    QVERIFY(h == LatencyHistogram());
    QCOMPARE(h.min(), quint64(0));
    QCOMPARE(h.max(), quint64(0));
    QCOMPARE(h.percentile(50), quint64(0));
    h.record(500); // the first record after reset sets min and max afresh
    QCOMPARE(h.min(), quint64(500));
    QCOMPARE(h.max(), quint64(500));

    LatencyHistogram source;
    source.record(1);
    source.record(2);
    const LatencyHistogram copy = source;
    LatencyHistogram moved = std::move(source);
    QVERIFY(moved == copy);
    QVERIFY(source.isEmpty()); // NOLINT(bugprone-use-after-move): the point of the test
    source.record(9); // usable again: the stats code keeps recording into moved-from histograms
    QCOMPARE(source.count(), quint64(1));
    QCOMPARE(source.min(), quint64(9));

    LatencyHistogram assigned;
    assigned.record(4);
    assigned = std::move(moved);
    QVERIFY(assigned == copy);
    QVERIFY(moved.isEmpty()); // NOLINT(bugprone-use-after-move)
}

void TstLatencyHistogram::equality()
{
    LatencyHistogram a;
    LatencyHistogram b;
    a.record(1000);
    b.record(1001); // same bucket, different sum, min and max
    QCOMPARE(LatencyHistogram::bucketOf(1000), LatencyHistogram::bucketOf(1001));
    QVERIFY(!(a == b));

    LatencyHistogram c;
    LatencyHistogram d;
    c.record(300);
    c.record(701);
    d.record(301);
    d.record(700); // same buckets, count and sum; different min and max
    QCOMPARE(LatencyHistogram::bucketOf(300), LatencyHistogram::bucketOf(301));
    QCOMPARE(LatencyHistogram::bucketOf(701), LatencyHistogram::bucketOf(700));
    QVERIFY(!(c == d));

    LatencyHistogram e;
    e.record(1000);
    QVERIFY(a == e);
    QVERIFY(!(a == LatencyHistogram()));
}

QTEST_GUILESS_MAIN(TstLatencyHistogram)
#include "tst_latencyhistogram.moc"
