// The window a tester keeps open all day (issue 19): it fits a 1280×720 laptop (by its
// minimumSizeHint), keeps its size and layout while texts change over a real run against the
// embedded demo server, View → Reset Layout brings the start-up layout back; the charts keep
// every label whole at that size (read from what the chart draws), count connections in whole
// numbers on a scale that fits the data, show values on hover and hide a line from its legend
// entry; Ctrl+1/2/3 put the focus in the tab; the console shows the reply of a command just sent.
#include "Colors.h"
#include "EditMenu.h"
#include "FileController.h"
#include "MainWindow.h"
#include "TestServers.h"
#include "core/Engine.h"
#include "editor/ActionDetails.h"
#include "editor/CodeEditor.h"
#include "editor/FindReplace.h"
#include "editor/ProtocolEditor.h"
#include "editor/RangeEdit.h"
#include "editor/ScenarioEditor.h"
#include "editor/ScenarioTabs.h"
#include "editor/YamlEditor.h"
#include "run/ChartsPanel.h"
#include "run/ConsolePane.h"
#include "run/RunPanel.h"
#include "run/RunSession.h"
#include "run/TimeChart.h"

#include <QAction>
#include <QChart>
#include <QCheckBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QGraphicsTextItem>
#include <QHeaderView>
#include <QLabel>
#include <QLegendMarker>
#include <QLineEdit>
#include <QLineSeries>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSplitter>
#include <QTableWidget>
#include <QTcpSocket>
#include <QTest>
#include <QTextBlock>
#include <QToolBar>
#include <QToolTip>
#include <QValueAxis>

#include "GuiTestUtil.h"

using namespace swarm;

namespace {

constexpr int kTimeout = 15000;
const QSize kLaptop(1280, 720);

// Every text a chart draws (title, axis labels and titles, legend): the scene's text items.
QStringList drawnTexts(TimeChart* chart)
{
    QStringList texts;
    for (QGraphicsItem* item : chart->scene()->items())
        if (auto* text = dynamic_cast<QGraphicsTextItem*>(item); text && text->isVisible())
            texts << text->toPlainText();
    return texts;
}

QString sizeText(const QSize& s)
{
    return QStringLiteral("%1×%2").arg(s.width()).arg(s.height());
}

} // namespace

class TestWindowFit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void fitsALaptopAndKeepsItsSizeOverARun();
    void chartsKeepTheirLabelsWhole();
    void valueScaleFitsTheDataInRoundSteps();
    void hoverShowsValuesAndLegendHidesALine();
    void resetLayoutBringsBackTheStartUpLayout();
    void tickingRangeDoesNotMoveTheBox();
    void ctrlNumberFocusesTheTab();
    void consoleShowsTheReplyJustAsked();
    void largeStepAsksFirst();
    void runControlsInOnePlaceAndGuidesFound();
    void editMenuFindsReplacesAndGoesToALine();
    void darkPaletteGetsReadableColours();
    void stateHeadersShowWhole();
    void tabWalksInReadingOrder();

private:
    std::unique_ptr<MainWindow> m_window;
};

void TestWindowFit::init()
{
    test::useFreshSettings();
    Options options;
    QString message;
    // No -r: the embedded demo server.
    QCOMPARE(parseOptions({"swarm", "-l", "127.0.0.1:0", "--threads", "2"}, &options, &message),
        ParseOutcome::Run);
    m_window = std::make_unique<MainWindow>(options);
    m_window->resize(kLaptop);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->startInitialRun();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->state(), RunSession::State::Ready, kTimeout);
}

void TestWindowFit::cleanup()
{
    if (m_window) {
        m_window->files()->setAskUnsaved([](const QString&) { return QMessageBox::Discard; });
        m_window->close();
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->isVisible(), kTimeout);
    }
    m_window.reset();
}

void TestWindowFit::fitsALaptopAndKeepsItsSizeOverARun()
{
    MainWindow& w = *m_window;
    const auto fits = [&w](const char* when) {
        const QSize min = w.minimumSizeHint().expandedTo(w.minimumSize());
        qInfo("%s: the window can shrink to %s", when, qPrintable(sizeText(min)));
        QVERIFY2(min.width() <= kLaptop.width() && min.height() <= kLaptop.height(),
            qPrintable(
                QStringLiteral("%1: the window cannot shrink below %2").arg(when, sizeText(min))));
        QCOMPARE(w.size(), kLaptop);
    };
    fits("idle");
    // A run with connections, a telnet colleague (the status bar's "(1 session)"), then Stop
    // ("run over: status only…"): texts change; the window's size and minimum do not.
    QTest::mouseClick(test::child<QPushButton>(w.runPanel(), "plusButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(w.session()->snapshot().requests > 0, kTimeout);
    QTcpSocket colleague;
    colleague.connectToHost(QHostAddress::LocalHost, w.session()->consolePort());
    QTRY_VERIFY_WITH_TIMEOUT(test::child<QLabel>(&w, "statusConsole")->toolTip().contains("session")
            || test::child<QLabel>(&w, "statusConsole")->text().contains("session"),
        kTimeout);
    fits("running");
    const QSize dock = test::child<QDockWidget>(&w, "consoleDock")->size();
    w.session()->stop();
    QTRY_COMPARE_WITH_TIMEOUT(w.session()->state(), RunSession::State::Finished, kTimeout);
    QTest::qWait(100); // the layout settles
    fits("finished");
    QCOMPARE(test::child<QDockWidget>(&w, "consoleDock")->size(), dock);
    // The command table is as tall as its rows, no taller.
    auto* table = test::child<QWidget>(w.runPanel(), "commandStats");
    QVERIFY(table->height() <= table->maximumHeight());
    QVERIFY(table->maximumHeight() < 400);
}

void TestWindowFit::chartsKeepTheirLabelsWhole()
{
    MainWindow& w = *m_window;
    w.runPanel()->setStepText("7");
    QTest::mouseClick(test::child<QPushButton>(w.runPanel(), "plusButton"), Qt::LeftButton);
    TimeChart* connections = w.chartsPanel()->connectionsChart();
    QTRY_VERIFY_WITH_TIMEOUT(connections->pointCount(0) >= 3, kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(
        connections->series(0)->at(connections->pointCount(0) - 1).y(), 7.0, kTimeout);
    QTest::qWait(200); // a repaint with the latest ranges
    for (TimeChart* chart : w.chartsPanel()->charts()) {
        QVERIFY2(chart->width() >= chart->minimumWidth(), qPrintable(chart->objectName()));
        const QStringList texts = drawnTexts(chart);
        QVERIFY(texts.contains(chart->title()));
        for (const QString& t : texts)
            QVERIFY2(!t.contains(QChar(0x2026)) && !t.contains("..."),
                qPrintable(chart->objectName() + ": elided \"" + t + "\""));
        // Wall-clock time on the x-axis: hh:mm:ss labels, more than one.
        QVERIFY2(texts.filter(QRegularExpression("^\\d\\d:\\d\\d(:\\d\\d)?$")).size() >= 2,
            qPrintable(texts.join(" | ")));
    }
    // Connections are counted in whole numbers: the y labels have no decimals (0, 2.5, 5, 7.5,
    // 10 before), on a scale just above 7.
    const auto* y = qobject_cast<QValueAxis*>(connections->chart()->axes(Qt::Vertical).first());
    QVERIFY(y->max() >= 7 && y->max() <= 10);
    QStringList numbers = drawnTexts(connections).filter(QRegularExpression("^\\d+([.,]\\d+)?$"));
    QVERIFY(!numbers.isEmpty());
    for (const QString& n : numbers)
        QVERIFY2(!n.contains('.') && !n.contains(','), qPrintable(n));
}

void TestWindowFit::valueScaleFitsTheDataInRoundSteps()
{
    TimeChart chart("Connections by state", QString());
    chart.resize(600, 300);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    chart.setIntegerValues(true);
    chart.addSeries("total", Qt::black);
    for (int i = 0; i <= 10; ++i)
        chart.append(0, i, 46.0 * i); // up to 460
    chart.refresh(10);
    const auto* y = qobject_cast<QValueAxis*>(chart.chart()->axes(Qt::Vertical).first());
    // 460 on a 0..500 scale (round steps of 100), not 0..1000.
    QCOMPARE(y->max(), 500.0);
    QCOMPARE(y->tickInterval(), 100.0);
    QCOMPARE(y->tickType(), QValueAxis::TicksDynamic);
}

void TestWindowFit::hoverShowsValuesAndLegendHidesALine()
{
    TimeChart chart("Requests/s and errors/s", QString());
    chart.resize(600, 300);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    chart.addSeries("requests/s", Qt::blue);
    chart.addSeries("errors/s", Qt::red, true);
    for (int i = 0; i <= 60; ++i) {
        chart.append(0, i, 1000 + i);
        chart.append(1, i, 3);
    }
    chart.setWindow(60);
    chart.refresh(60);
    QTest::qWait(50);
    // The middle of the plot: the values of the second there.
    const QRectF plot = chart.chart()->plotArea();
    const QPoint middle = chart.mapFromScene(chart.chart()->mapToScene(plot.center()));
    const QString text = chart.valuesAt(middle);
    // In the user's locale: "1,030" or "1030".
    QVERIFY2(text.contains(QRegularExpression("requests/s: 1\\D?0\\d\\d")), qPrintable(text));
    QVERIFY2(text.contains("errors/s: 3"), qPrintable(text));
    QMouseEvent move(QEvent::MouseMove, middle, chart.viewport()->mapToGlobal(middle), Qt::NoButton,
        Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(chart.viewport(), &move);
    QTRY_VERIFY_WITH_TIMEOUT(QToolTip::isVisible(), 2000);
    QCOMPARE(QToolTip::text(), text);
    // Outside the plot: nothing.
    QVERIFY(chart.valuesAt(QPoint(1, 1)).isEmpty());

    // A legend click hides the line (its entry stays, to bring it back) and rescales.
    QLegendMarker* marker = chart.chart()->legend()->markers(chart.series(0)).first();
    Q_EMIT marker->clicked();
    QVERIFY(!chart.series(0)->isVisible());
    QVERIFY(marker->isVisible());
    QVERIFY(!chart.valuesAt(middle).contains("requests/s"));
    const auto* y = qobject_cast<QValueAxis*>(chart.chart()->axes(Qt::Vertical).first());
    QVERIFY(y->max() < 1000);
    Q_EMIT marker->clicked();
    QVERIFY(chart.series(0)->isVisible());
}

void TestWindowFit::resetLayoutBringsBackTheStartUpLayout()
{
    MainWindow& w = *m_window;
    auto* scenario = test::child<QDockWidget>(&w, "scenarioDock");
    auto* console = test::child<QDockWidget>(&w, "consoleDock");
    auto* centre = test::child<QSplitter>(&w, "centreSplitter");
    const QList<int> sizes = centre->sizes();
    const int scenarioWidth = scenario->width();
    console->hide();
    scenario->setFloating(true);
    centre->setSizes({100, 900});
    w.action("actionResetLayout")->trigger();
    QTest::qWait(100);
    QVERIFY(scenario->isVisible() && console->isVisible());
    QVERIFY(!scenario->isFloating() && !console->isFloating());
    QCOMPARE(w.dockWidgetArea(scenario), Qt::LeftDockWidgetArea);
    QCOMPARE(w.dockWidgetArea(console), Qt::LeftDockWidgetArea);
    QVERIFY(console->y() > scenario->y()); // the console below the scenario
    QCOMPARE(centre->sizes(), sizes);
    QVERIFY2(qAbs(scenario->width() - scenarioWidth) <= 2,
        qPrintable(QStringLiteral("%1 → %2").arg(scenarioWidth).arg(scenario->width())));
}

void TestWindowFit::tickingRangeDoesNotMoveTheBox()
{
    ScenarioEditor* visual = m_window->scenarioTabs()->visual();
    m_window->scenarioTabs()->setCurrentIndex(ScenarioTabs::VisualTab);
    visual->actionList()->setCurrentRow(0);
    RangeEdit* sleep = visual->details()->sleepAfterEdit();
    QCheckBox* range = sleep->rangeBox();
    range->setChecked(false);
    QTest::qWait(50);
    const QPoint before = range->mapTo(m_window.get(), QPoint(0, 0));
    QTest::mouseClick(range, Qt::LeftButton);
    QVERIFY(range->isChecked());
    QTest::qWait(50);
    QCOMPARE(range->mapTo(m_window.get(), QPoint(0, 0)), before);
    QVERIFY(sleep->maximumBox()->isVisible());
}

void TestWindowFit::ctrlNumberFocusesTheTab()
{
    MainWindow& w = *m_window;
    w.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    ScenarioTabs* tabs = w.scenarioTabs();
    const std::pair<int, QWidget*> cases[] = {{ScenarioTabs::YamlTab, tabs->yaml()->editor()},
        {ScenarioTabs::ProtocolTab, tabs->protocol()->editor()},
        {ScenarioTabs::VisualTab, tabs->visual()->actionList()}};
    for (const auto& [tab, control] : cases) {
        test::child<QLineEdit>(w.runPanel(), "serverEdit")->setFocus();
        QTest::keyClick(&w, Qt::Key(Qt::Key_1 + tab), Qt::ControlModifier);
        QCOMPARE(tabs->currentIndex(), tab);
        QTRY_COMPARE_WITH_TIMEOUT(QApplication::focusWidget(), control, 2000);
    }
}

void TestWindowFit::consoleShowsTheReplyJustAsked()
{
    ConsolePane* pane = m_window->consolePane();
    QPlainTextEdit* mirror = pane->mirror();
    for (int i = 0; i < 300; ++i)
        pane->appendMessage(QStringLiteral("line %1 ").arg(i) + QString(200, 'x'), false);
    // The user scrolled up to read, and sideways.
    mirror->verticalScrollBar()->setValue(0);
    mirror->horizontalScrollBar()->setValue(mirror->horizontalScrollBar()->maximum());
    QLineEdit* input = test::child<QLineEdit>(pane, "consoleInput");
    input->setFocus();
    QTest::keyClicks(input, "status");
    QTest::keyClick(input, Qt::Key_Return);
    // The command line is in view, from the left edge; the status table is not wrapped.
    const QTextCursor asked = mirror->document()->find(QRegularExpression("gui › status$"),
        mirror->document()->lastBlock().position(), QTextDocument::FindBackward);
    QVERIFY(!asked.isNull());
    QVERIFY(mirror->viewport()->rect().intersects(mirror->cursorRect(asked)));
    QCOMPARE(mirror->horizontalScrollBar()->value(), 0);
    QCOMPARE(mirror->lineWrapMode(), QPlainTextEdit::NoWrap);
}

// Issue 19 item 5: a step above the bound (a mistyped 1000000) asks before sending anything.
void TestWindowFit::largeStepAsksFirst()
{
    MainWindow& w = *m_window;
    QStringList asked;
    bool answer = false;
    w.runPanel()->setConfirm([&](const QString& question) {
        asked << question;
        return answer;
    });
    w.runPanel()->setStepText("1000000");
    QTest::mouseClick(test::child<QPushButton>(w.runPanel(), "plusButton"), Qt::LeftButton);
    QCOMPARE(asked.size(), 1);
    QVERIFY2(asked[0].contains(QLocale().toString(1000000)), qPrintable(asked[0]));
    QCOMPARE(w.session()->engine()->target(), 0); // refused: nothing was sent
    QVERIFY(!w.consolePane()->text().contains("incr 1000000"));
    // A step within the bound goes at once.
    w.runPanel()->setStepText("3");
    QTest::mouseClick(test::child<QPushButton>(w.runPanel(), "plusButton"), Qt::LeftButton);
    QCOMPARE(asked.size(), 1);
    QCOMPARE(w.session()->engine()->target(), 3);
}

// Issue 19 item 6: Stop, New Run and Apply in one place (the run panel; the Run menu names them
// the same), and Help opens the guides found on this machine.
void TestWindowFit::runControlsInOnePlaceAndGuidesFound()
{
    MainWindow& w = *m_window;
    auto* bar = test::child<QToolBar>(&w, "mainToolBar");
    for (const char* name : {"actionStop", "actionNewRun", "actionApply"})
        QVERIFY2(!bar->actions().contains(w.action(name)), name);
    QCOMPARE(w.action("actionApply")->text().remove('&'),
        test::child<QPushButton>(w.runPanel(), "applyButton")->text());
    QVERIFY(w.action("actionProtocolGuide"));
    QVERIFY(MainWindow::documentPath("PROTOCOLS.md").endsWith("docs/PROTOCOLS.md"));
    QVERIFY(MainWindow::documentPath("README.md").endsWith("README.md"));
}

// Issue 19 item 6: Edit → Find / Replace / Go to Line in the YAML editor; the editor can take
// the main area.
void TestWindowFit::editMenuFindsReplacesAndGoesToALine()
{
    MainWindow& w = *m_window;
    w.scenarioTabs()->setCurrentIndex(ScenarioTabs::VisualTab);
    EditMenu* edit = w.editMenu();
    QVERIFY(w.findChild<QAction*>("actionFind"));
    QVERIFY(w.findChild<QAction*>("actionGoToLine"));
    // From the visual editor, the YAML text is what Find and Go to Line act on.
    CodeEditor* yaml = w.scenarioTabs()->yaml()->editor();
    edit->goToLine(5);
    QCOMPARE(w.scenarioTabs()->currentIndex(), int(ScenarioTabs::YamlTab));
    QCOMPARE(yaml->textCursor().blockNumber(), 4);

    const QString before = yaml->toPlainText();
    const int commands = int(before.count("- command:"));
    QVERIFY(commands >= 2);
    FindReplace* find = edit->findReplace();
    find->findEdit()->setText("- command:");
    QVERIFY(find->findNext());
    QCOMPARE(yaml->textCursor().selectedText(), QString("- command:"));
    find->replaceEdit()->setText("-   command:");
    QCOMPARE(find->replaceAll(), commands);
    QCOMPARE(int(yaml->toPlainText().count("-   command:")), commands);
    yaml->undo(); // one step takes every replacement back
    QCOMPARE(yaml->toPlainText(), before);

    w.action("actionEditorOnly")->trigger();
    QTest::qWait(100);
    QVERIFY(!w.centralWidget()->isVisible());
    QVERIFY(test::child<QDockWidget>(&w, "scenarioDock")->width() > w.width() * 3 / 4);
    w.action("actionEditorOnly")->trigger();
    QVERIFY(w.centralWidget()->isVisible());
    QVERIFY(test::child<QDockWidget>(&w, "consoleDock")->isVisible());
}

// Issue 19 item 6: no colour fixed for a light background only. Under a dark palette the chart
// is dark and the problem red is bright enough to read on it.
void TestWindowFit::darkPaletteGetsReadableColours()
{
    const QPalette light = QApplication::palette();
    QVERIFY(!colors::darkPalette());
    const QColor lightRed = colors::problem();
    QPalette dark = light;
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    dark.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    QApplication::setPalette(dark);
    QVERIFY(colors::darkPalette());
    QVERIFY(colors::problem().lightnessF() >= 0.6);
    QCOMPARE(colors::problem().hue(), lightRed.hue());
    {
        TimeChart chart("Latency, ms", QString());
        QCOMPARE(chart.chart()->theme(), QChart::ChartThemeDark);
        chart.addSeries("p50", QColor(0x2e, 0x7d, 0x32));
        QVERIFY(chart.series(0)->pen().color().lightnessF() >= 0.6);
    }
    QApplication::setPalette(light);
    QVERIFY(!colors::darkPalette());
}

// Issue 19 item 2: the connection-state table's headers show whole at 1280×720 and at the
// window's minimum ("onnectin" was clipped): each section's size hint (what its label needs)
// fits the section's shown width, the label is the state's name (on two lines, or elided in
// the middle), and the tooltip names the state in full.
void TestWindowFit::stateHeadersShowWhole()
{
    MainWindow& w = *m_window;
    auto* view = test::child<QTableWidget>(w.runPanel(), "stateCounts");
    QHeaderView* header = view->horizontalHeader();
    const QSize minimum = w.minimumSizeHint().expandedTo(w.minimumSize());
    for (const QSize& size : {kLaptop, minimum}) {
        w.resize(size);
        QTest::qWait(50); // the layout settles
        QStringList elided;
        for (int i = 0; i < kStateCount; ++i) {
            const QString name = QString::fromLatin1(stateName(i));
            const QString label = view->horizontalHeaderItem(i)->text();
            QVERIFY2(header->sectionSizeHint(i) <= header->sectionSize(i),
                qPrintable(QStringLiteral("%1: '%2' needs %3 px, shown in %4 px")
                               .arg(sizeText(size), label)
                               .arg(header->sectionSizeHint(i))
                               .arg(header->sectionSize(i))));
            QVERIFY2(view->horizontalHeaderItem(i)->toolTip().startsWith(name), qPrintable(name));
            QString joined = label;
            joined.remove(QLatin1Char('\n')).remove(QLatin1Char('-'));
            if (joined.contains(QChar(0x2026)))
                elided << QString(label).replace(QLatin1Char('\n'), QLatin1Char(' '));
            else
                QCOMPARE(joined, QString(name).remove(QLatin1Char('_')));
        }
        qInfo("%s: state table %d px wide, elided: %s", qPrintable(sizeText(size)), view->width(),
            qPrintable(elided.join(QStringLiteral(", "))));
    }
}

// What Tab visits from `start` (as QWidget::focusNextChild() picks: the next in the focus chain
// that is visible, enabled and takes Tab), each mapped to the first of `groups` holding it
// (nullptr: none). Consecutive stops in one group count once.
QList<QWidget*> tabWalk(QWidget* window, QWidget* start, const QList<QWidget*>& groups)
{
    QList<QWidget*> visited;
    QWidget* w = start;
    for (int step = 0; step < 200 && visited.size() <= groups.size(); ++step) {
        const bool stop = w->isVisibleTo(window) && w->isEnabled()
            && (w->focusPolicy() & Qt::TabFocus) && !w->focusProxy();
        if (stop) {
            QWidget* group = nullptr;
            for (QWidget* g : groups)
                if (g == w || g->isAncestorOf(w)) {
                    group = g;
                    break;
                }
            if (visited.isEmpty() || visited.last() != group) visited << group;
        }
        w = w->nextInFocusChain();
    }
    return visited.mid(0, groups.size());
}

QString names(const QList<QWidget*>& widgets)
{
    QStringList out;
    for (QWidget* w : widgets)
        out << (w ? w->objectName() : QStringLiteral("(elsewhere)"));
    return out.join(QStringLiteral(" → "));
}

// Issue 19 item 7: Tab walks the run panel, the scenario's visual editor and the console in the
// order they read (left to right, top to bottom), each panel's controls one after the other
// with no jump to another dock in between.
void TestWindowFit::tabWalksInReadingOrder()
{
    MainWindow& w = *m_window;
    w.scenarioTabs()->setCurrentIndex(ScenarioTabs::VisualTab);
    QTest::qWait(50);
    const auto expect = [&w](QWidget* panel, const QStringList& order) {
        QList<QWidget*> groups;
        for (const QString& name : order) {
            auto* g = panel->findChild<QWidget*>(name);
            if (!g) qFatal("no control %s", qPrintable(name));
            if (g->isVisibleTo(&w) && g->isEnabled()) groups << g; // Tab skips the others
        }
        const QList<QWidget*> walked = tabWalk(&w, groups.first(), groups);
        QVERIFY2(walked == groups,
            qPrintable(
                QStringLiteral("Tab went %1\nexpected %2").arg(names(walked), names(groups))));
    };
    expect(w.runPanel(),
        {"serverEdit", "tlsButton", "listenEdit", "minusButton", "stepBox", "plusButton",
            "targetBox", "stopButton", "newRunButton", "rampBox", "connectTimeoutBox",
            "replyTimeoutBox", "durationEdit", "thresholdsEdit", "applyButton", "commandStats"});
    expect(w.scenarioTabs()->visual(),
        {"protocolBox", "dataFiles", "actionList", "addActionButton", "duplicateActionButton",
            "removeActionButton", "moveUpButton", "moveDownButton", "commandBox", "argsTable",
            "roundsEdit", "sleepBetweenEdit", "sleepAfterEdit"});
    expect(w.consolePane(), {"consoleMirror", "consoleInput", "consoleSend", "consoleClear"});
}

QTEST_MAIN(TestWindowFit)
#include "tst_windowfit.moc"
