import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Rewind.Core

// Every service with its health, current and last good version, active firings and freeze;
// counts at the top; filtered by environment and a search text.
Page {
    id: root
    objectName: "overviewPage"
    signal serviceActivated(string name)
    padding: 16

    header: Pane {
        padding: 16
        bottomPadding: 4
        ColumnLayout {
            width: parent.width
            spacing: 10
            RowLayout {
                Layout.fillWidth: true
                spacing: 10
                Label {
                    text: qsTr("Overview")
                    font.pixelSize: 22
                    font.bold: true
                }
                Item { Layout.fillWidth: true }
                ComboBox {
                    id: environment
                    objectName: "environmentFilter"
                    Layout.preferredWidth: 200
                    model: [qsTr("All environments")].concat(Dashboard.overview.environments)
                    onActivated: (index) => Dashboard.overview.environment = index === 0 ? "" : Dashboard.overview.environments[index - 1]
                    Accessible.name: qsTr("Environment")
                }
                TextField {
                    objectName: "serviceSearch"
                    Layout.preferredWidth: 240
                    placeholderText: qsTr("Search services")
                    selectByMouse: true
                    onTextChanged: Dashboard.overview.search = text
                }
            }
            Flow {
                Layout.fillWidth: true
                spacing: 8
                CountChip { objectName: "countTotal"; label: qsTr("Services"); value: Dashboard.overview.count; colour: "#546e7a" }
                CountChip { objectName: "countHealthy"; label: qsTr("Healthy"); value: Dashboard.overview.healthy; colour: "#2e7d32" }
                CountChip { objectName: "countDegraded"; label: qsTr("Degraded"); value: Dashboard.overview.degraded; colour: "#ef8f00" }
                CountChip { objectName: "countFailing"; label: qsTr("Failing"); value: Dashboard.overview.failing; colour: "#c62828" }
                CountChip { label: qsTr("No data"); value: Dashboard.overview.unknown; colour: "#8a8a8a" }
                CountChip { label: qsTr("Rules firing"); value: Dashboard.overview.firing; colour: "#ad1457" }
                CountChip { label: qsTr("Frozen"); value: Dashboard.overview.frozen; colour: "#0277bd" }
            }
        }
    }

    GridView {
        id: grid
        objectName: "serviceList"
        anchors.fill: parent
        clip: true
        focus: true
        keyNavigationEnabled: true
        boundsBehavior: Flickable.StopAtBounds
        readonly property int columns: Math.max(1, Math.floor(width / 340))
        cellWidth: width / columns
        cellHeight: 176
        model: Dashboard.overview
        ScrollBar.vertical: ScrollBar {}
        delegate: ServiceCard {
            width: grid.cellWidth - 10
            height: grid.cellHeight - 10
            current: GridView.isCurrentItem && grid.activeFocus
            onActivated: root.serviceActivated(name)
        }
        Keys.onReturnPressed: root.serviceActivated(Dashboard.overview.nameAt(grid.currentIndex))
        Label {
            anchors.centerIn: parent
            visible: grid.count === 0
            text: Dashboard.services.count === 0 ? qsTr("No services yet") : qsTr("No service matches")
            opacity: 0.6
        }
    }
}
