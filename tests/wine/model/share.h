/* Where the model keeps what every process shares, inside the Wine prefix.
 * Test programs include this to reset the state and to mark the call log. */
#ifndef NRMODEL_SHARE_H
#define NRMODEL_SHARE_H

#define NRMODEL_DIR L"C:\\nrmodel"
#define NRMODEL_STATE L"C:\\nrmodel\\state"
#define NRMODEL_LOG L"C:\\nrmodel\\calls.log"
/* Guards both files; held only for the length of one NP call. */
#define NRMODEL_MUTEX L"Local\\nrmodel-state"
/* The provider name the harness registers (the stock provider's Name). */
#define NRMODEL_PROVIDER_NAME L"Microsoft Windows Network"

#endif
