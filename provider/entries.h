/* Every NP entry point netreclaim.dll exports, each forwarded to the stock
 * provider's entry of the same name: X(field, export). From this one list
 * come the stock table's fields and its resolver (stock.h, stock.c), the
 * .def and the list the static export check reads (CMakeLists.txt, via
 * cmake/entries.cmake). A new entry is one line here plus its forwarder in
 * np.c. The table's fields are named apart from the exports, so a stock
 * call never reads like a call to our own entry. One entry per line: CMake
 * reads them with a regular expression. */
#ifndef NETRECLAIM_ENTRIES_H
#define NETRECLAIM_ENTRIES_H

// clang-format off
#define NRP_ENTRIES(X) \
    X(get_caps, NPGetCaps) \
    X(add_connection, NPAddConnection) \
    X(add_connection3, NPAddConnection3) \
    X(add_connection4, NPAddConnection4) \
    X(cancel_connection, NPCancelConnection) \
    X(cancel_connection2, NPCancelConnection2) \
    X(get_connection, NPGetConnection) \
    X(get_connection3, NPGetConnection3) \
    X(get_connection_performance, NPGetConnectionPerformance) \
    X(get_universal_name, NPGetUniversalName) \
    X(get_user, NPGetUser) \
    X(open_enum, NPOpenEnum) \
    X(enum_resource, NPEnumResource) \
    X(close_enum, NPCloseEnum) \
    X(get_resource_information, NPGetResourceInformation) \
    X(get_resource_parent, NPGetResourceParent) \
    X(format_network_name, NPFormatNetworkName) \
    X(get_persistent_use_options, NPGetPersistentUseOptionsForConnection)
// clang-format on

#endif
