"""Payment batches (支付批次) as a core capability: a finance officer puts payable objects in a batch, the
bank file is exported in the bank's layout (.xlsx or CSV, full account numbers, audited), each payment is
marked paid with the bank's reference or failed (the account is corrected and a later batch retries), one
by one or from the bank's return file (回盘文件).

The core knows nothing of what is paid: a payment points at its paying object (a mutual-aid claim today,
a hardship grant next) with a generic key, and the database lets each paying object have at most one
pending-or-paid payment and at most one paid payment, ever. The paying app keeps its own object's state in
step, under its own lock taken before the payment's."""
