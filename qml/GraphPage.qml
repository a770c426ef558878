import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Rewind.Core

// The dependency graph: services coloured by health, edges from depends_on, laid out in C++
// and drawn by the core's QPainter renderer; during a rollback the plan's order and each
// step's state show on it. Drag to pan, wheel or +/- to zoom, 0 to fit; Enter opens a service.
Page {
    id: root
    objectName: "graphPage"
    signal serviceActivated(string name)
    padding: 16

    header: Pane {
        padding: 16
        bottomPadding: 4
        RowLayout {
            width: parent.width
            Label { text: qsTr("Dependencies"); font.pixelSize: 22; font.bold: true }
            Item { Layout.fillWidth: true }
            Label {
                visible: view.selectedService !== ""
                text: qsTr("Selected: %1").arg(view.selectedService)
            }
            Button {
                text: qsTr("Open")
                enabled: view.selectedService !== ""
                onClicked: root.serviceActivated(view.selectedService)
            }
            Button {
                text: qsTr("Fit")
                onClicked: view.fitToView()
            }
        }
    }

    Frame {
        anchors.fill: parent
        padding: 0
        DependencyGraphView {
            id: view
            objectName: "dependencyGraph"
            anchors.fill: parent
            graph: Dashboard.graph
            dark: Dashboard.dark
            focus: true
            onServiceActivated: (name) => root.serviceActivated(name)
        }
    }
}
