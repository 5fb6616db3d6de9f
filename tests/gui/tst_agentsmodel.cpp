// The fleet's agents table (AgentsView over AgentsModel) between updates: the controller's
// agents as FleetEngine::agentsJson gives them, changed as a running fleet changes them (figures
// every second, an address that leaves the name, one that joins). A row keeps its identity across
// updates (a selection stays on its agent, the view's scroll position with it), the model stays
// consistent (QAbstractItemModelTester), and sorting a number column sorts numbers. The table on
// a real controller and agent: tst_gui_fleetwindow.
#include "run/AgentsModel.h"
#include "run/AgentsView.h"

#include <QAbstractItemModelTester>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace swarm;

namespace {

QJsonObject agent(const QString& address, int connections, const QString& state = "up")
{
    return QJsonObject {{"address", address}, {"state", state}, {"share", connections},
        {"connections", connections}, {"rps", connections * 20.0}, {"lastError", QString()},
        {"identity", QJsonObject {{"agentIndex", 0}, {"agentCount", 1}}}};
}

QStringList addresses(const QAbstractItemModel* m)
{
    QStringList out;
    for (int r = 0; r < m->rowCount(); ++r)
        out << m->index(r, AgentsModel::Address).data().toString();
    return out;
}

} // namespace

class TstAgentsModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rowsKeepTheirAgentAcrossUpdates();
    void sortsNumbersAsNumbers();
};

void TstAgentsModel::rowsKeepTheirAgentAcrossUpdates()
{
    QWidget panel; // never shown: the view is a child, as in the run panel
    AgentsView& view = *new AgentsView(&panel);
    AgentsModel* model = view.agentsModel();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    view.setAgents(true,
        {agent("10.0.0.1:8411", 100), agent("10.0.0.2:8411", 100), agent("10.0.0.3:8411", 100)});
    QVERIFY(!view.isHidden());
    QCOMPARE(addresses(model), QStringList({"10.0.0.1:8411", "10.0.0.2:8411", "10.0.0.3:8411"}));
    view.selectRow(2);
    const QPersistentModelIndex third = model->index(2, 0);
    QSignalSpy resets(model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(model, &QAbstractItemModel::dataChanged);

    // A second later, one agent's figures changed: that row changes, in place.
    view.setAgents(true,
        {agent("10.0.0.1:8411", 100), agent("10.0.0.2:8411", 100), agent("10.0.0.3:8411", 99)});
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed[0][0].toModelIndex().row(), 2);
    QCOMPARE(model->index(2, AgentsModel::Connections).data().toString(), QStringLiteral("99"));

    // 10.0.0.2 left the name, 10.0.0.9 joined: the others keep their rows' identity.
    view.setAgents(true,
        {agent("10.0.0.1:8411", 150), agent("10.0.0.3:8411", 150),
            agent("10.0.0.9:8411", 0, "connecting")});
    QCOMPARE(addresses(model), QStringList({"10.0.0.1:8411", "10.0.0.3:8411", "10.0.0.9:8411"}));
    QCOMPARE(resets.size(), 0);
    QVERIFY(third.isValid());
    QCOMPARE(third.data().toString(), QStringLiteral("10.0.0.3:8411"));
    const QModelIndexList selected = view.selectionModel()->selectedRows();
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected[0].data().toString(), QStringLiteral("10.0.0.3:8411"));
    QCOMPARE(model->index(2, AgentsModel::State).data().toString(), QStringLiteral("connecting"));

    // Not a fleet (a new run without --fleet): hidden and empty.
    view.setAgents(false, {});
    QVERIFY(view.isHidden());
    QCOMPARE(model->rowCount(), 0);
}

// 9 < 10 < 100 as numbers (as text "10" < "100" < "9"); the header sorts the view, not the model.
void TstAgentsModel::sortsNumbersAsNumbers()
{
    QWidget panel;
    AgentsView& view = *new AgentsView(&panel);
    view.setAgents(
        true, {agent("10.0.0.1:8411", 100), agent("10.0.0.2:8411", 9), agent("10.0.0.3:8411", 10)});
    const QAbstractItemModel* shown = view.model();
    QCOMPARE(addresses(shown), QStringList({"10.0.0.1:8411", "10.0.0.2:8411", "10.0.0.3:8411"}));
    view.sortByColumn(AgentsModel::Connections, Qt::AscendingOrder);
    QCOMPARE(addresses(shown), QStringList({"10.0.0.2:8411", "10.0.0.3:8411", "10.0.0.1:8411"}));
    // An update re-sorts: 10.0.0.2 now holds the most.
    view.setAgents(true,
        {agent("10.0.0.1:8411", 100), agent("10.0.0.2:8411", 500), agent("10.0.0.3:8411", 10)});
    QCOMPARE(addresses(shown), QStringList({"10.0.0.3:8411", "10.0.0.1:8411", "10.0.0.2:8411"}));
    QCOMPARE(addresses(view.agentsModel()),
        QStringList({"10.0.0.1:8411", "10.0.0.2:8411", "10.0.0.3:8411"}));
}

QTEST_MAIN(TstAgentsModel)
#include "tst_agentsmodel.moc"
