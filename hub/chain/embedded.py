"""The embedded development chain: an in-process EVM (py-evm, served through eth-tester) kept on disk.

Everything lives in one directory (the hub passes `var/chain`): `chain.sqlite3` (py-evm's key-value database),
`hub-account.key` (the hub's signing key, mode 0600, funded in the genesis block) and `chain.lock`.
Each JSON-RPC request runs under an exclusive lock on `chain.lock` (flock: between processes) and a thread
lock (within one), reloads the chain head from disk and commits its writes in one SQLite transaction, so any
number of processes may share the directory: each sees the blocks the others mined, and none mines on a
stale head. Transactions are mined into a block of their own at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from eth.chains.base import MiningChain
from eth.db.atomic import AtomicDB
from eth.exceptions import CanonicalHeadNotFound
from eth.exceptions import TransactionNotFound as EVMTransactionNotFound
from eth.vm.forks.prague import PragueVM
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_tester import EthereumTester
from eth_tester.backends.pyevm.main import PyEVMBackend, get_default_account_state, get_default_genesis_params
from eth_tester.backends.pyevm.serializers import serialize_transaction, serialize_transaction_receipt
from eth_tester.exceptions import TransactionFailed, TransactionNotFound
from eth_tester.exceptions import ValidationError as TesterValidationError
from eth_typing import Address, BlockNumber, Hash32
from eth_utils.exceptions import ValidationError
from web3.providers.async_base import AsyncBaseProvider
from web3.providers.eth_tester import AsyncEthereumTesterProvider
from web3.providers.eth_tester.defaults import API_ENDPOINTS
from web3.types import RPCEndpoint, RPCError, RPCResponse

from hub.chain.kv_store import SqliteKeyValueStore

# The id web3's eth-tester endpoints report for eth_chainId; transactions are signed for it.
EMBEDDED_CHAIN_ID = 131277322940537
DATABASE_NAME = "chain.sqlite3"
KEY_NAME = "hub-account.key"
LOCK_NAME = "chain.lock"
GENESIS_BALANCE_WEI = 10**24
_CALLS_NEEDING_SENDER = ("eth_call", "eth_estimateGas")


class EmbeddedChainError(RuntimeError):
    """The embedded chain's directory cannot be used."""


class EmbeddedChainBusy(EmbeddedChainError):
    """Another process held the embedded chain's lock for longer than the lock timeout."""


class _DiskChain(MiningChain):
    chain_id = EMBEDDED_CHAIN_ID
    vm_configuration = ((BlockNumber(0), PragueVM),)

    def create_header_from_parent(self, parent_header: Any, **header_params: Any) -> Any:
        return super().create_header_from_parent(
            parent_header, **{**header_params, "gas_limit": parent_header.gas_limit}
        )

    def get_transaction_builder(self) -> Any:
        return self.get_vm().get_transaction_builder()


class _DiskBackend(PyEVMBackend):  # type: ignore[misc]
    """eth-tester's py-evm backend on a chain kept in `database`; it knows no unlocked accounts."""

    def __init__(self, database: AtomicDB) -> None:
        self.account_keys = ()
        self.database = database
        self.chain = _DiskChain(database)

    def reload(self) -> None:
        """Picks up the blocks other processes mined: a pending block on the current head, fresh timestamp."""
        self.chain = _DiskChain(self.database)

    def _canonical_transaction(self, transaction_hash: bytes) -> tuple[Any, Any, int]:
        # eth-tester walks every block back from the head; py-evm keeps an index by hash.
        try:
            number, index = self.chain.get_canonical_transaction_index(Hash32(transaction_hash))
        except EVMTransactionNotFound:
            raise TransactionNotFound(
                f"No transaction found for transaction hash: 0x{transaction_hash.hex()}"
            ) from None
        block = self.chain.get_canonical_block_by_number(number)
        return block, block.transactions[index], index

    def get_transaction_by_hash(self, transaction_hash: bytes) -> Any:
        block, transaction, index = self._canonical_transaction(transaction_hash)
        return serialize_transaction(block, transaction, index, False)

    def get_transaction_receipt(self, transaction_hash: bytes) -> Any:
        block, transaction, index = self._canonical_transaction(transaction_hash)
        receipts = block.get_receipts(self.chain.chaindb)
        return serialize_transaction_receipt(block, receipts, transaction, index, False, self.chain.get_vm())


class EmbeddedChain:
    """One process's handle on the chain kept in `directory`; thread-safe and process-safe."""

    def __init__(self, directory: Path, lock_timeout: float = 30.0) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self.lock_timeout = lock_timeout
        self._thread_lock = threading.Lock()
        self._closed = False
        self._lock_file = os.open(directory / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
        self._store = SqliteKeyValueStore(directory / DATABASE_NAME)
        with self._locked():
            database = AtomicDB(self._store)
            self.account = _open_chain(database, directory / KEY_NAME)
            self._backend = _DiskBackend(database)
        self._tester = EthereumTester(self._backend, auto_mine_transactions=True)
        self._request_id = 0

    def request(self, method: str, params: Any) -> RPCResponse:
        """Serves one JSON-RPC request (blocking: call it from a worker thread)."""
        if self._closed:
            raise EmbeddedChainError(f"the embedded chain at {self.directory} is closed")
        if method in _CALLS_NEEDING_SENDER and params and params[0].get("from") is None:
            # eth-tester insists on a funded sender for calls; JSON-RPC nodes need none.
            params = [{**params[0], "from": self.account.address}, *params[1:]]
        with self._locked():
            self._backend.reload()
            return self._serve(method, params)

    def _serve(self, method: str, params: Any) -> RPCResponse:
        """Like web3's eth-tester provider, but a revert answers as a JSON-RPC node does: code 3 with its data."""
        self._request_id += 1
        namespace, _, name = method.partition("_")
        handler = API_ENDPOINTS.get(namespace, {}).get(name)
        if handler is None:
            return _error(self._request_id, -32601, f"the embedded chain does not serve {method}")
        try:
            result = handler(self._tester, params)
        except NotImplementedError:
            return _error(self._request_id, -32601, f"the embedded chain does not serve {method}")
        except (ValidationError, TesterValidationError) as refused:  # a bad nonce, too little gas or ether
            return _error(self._request_id, -32000, str(refused))
        except TransactionFailed as failure:
            reason = failure.args[0] if failure.args else b""
            while isinstance(reason, Exception) and reason.args:  # py-evm's Revert, wrapped by eth-tester
                reason = reason.args[0]
            if isinstance(reason, bytes):
                return _error(self._request_id, 3, "execution reverted", "0x" + reason.hex())
            return _error(self._request_id, 3, f"execution reverted: {reason}")
        return RPCResponse(jsonrpc="2.0", id=self._request_id, result=result)

    def provider(self) -> EmbeddedChainProvider:
        return EmbeddedChainProvider(self)

    def close(self) -> None:
        with self._thread_lock:
            if self._closed:
                return
            self._closed = True
            self._store.close()
            os.close(self._lock_file)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        deadline = time.monotonic() + self.lock_timeout
        with self._thread_lock:
            while True:
                try:
                    fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise EmbeddedChainBusy(
                            f"the embedded chain at {self.directory} stayed locked by another process "
                            f"for {self.lock_timeout} s"
                        ) from None
                    time.sleep(0.01)
            try:
                with self._store.transaction():
                    yield
            finally:
                fcntl.flock(self._lock_file, fcntl.LOCK_UN)


class EmbeddedChainProvider(AsyncEthereumTesterProvider):
    """An async web3 provider for the embedded chain: requests run in a worker thread, off the event loop."""

    def __init__(self, chain: EmbeddedChain) -> None:
        AsyncBaseProvider.__init__(self)
        self.chain = chain

    async def make_request(self, method: RPCEndpoint, params: Any) -> RPCResponse:
        return await asyncio.to_thread(self.chain.request, method, params)


def _error(request_id: int, code: int, message: str, data: str | None = None) -> RPCResponse:
    error = RPCError(code=code, message=message) if data is None else RPCError(code=code, message=message, data=data)
    return RPCResponse(jsonrpc="2.0", id=request_id, error=error)


def _open_chain(database: AtomicDB, key_path: Path) -> LocalAccount:
    """The hub's account; on a new directory, a new key and a genesis block that funds it."""
    try:
        _DiskChain(database)
    except CanonicalHeadNotFound:
        account = _read_key(key_path) if key_path.exists() else _create_key(key_path)
        _create_genesis(database, account.address)
        return account
    if not key_path.exists():
        raise EmbeddedChainError(
            f"{key_path} is missing: the embedded chain beside it funds only that key. Restore the file, "
            f"or move the directory away to start a new chain"
        )
    return _read_key(key_path)


def _read_key(path: Path) -> LocalAccount:
    try:
        account: LocalAccount = Account.from_key(path.read_text().strip())
    except ValueError:
        raise EmbeddedChainError(f"{path} does not hold a private key (64 hex digits)") from None
    return account


def _create_key(path: Path) -> LocalAccount:
    account: LocalAccount = Account.create()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as key_file:
        key_file.write(account.key.hex() + "\n")
    return account


def _create_genesis(database: AtomicDB, funded: str) -> None:
    state = {
        Address(bytes.fromhex(funded.removeprefix("0x"))): get_default_account_state({"balance": GENESIS_BALANCE_WEI})
    }
    _DiskChain.from_genesis(database, get_default_genesis_params(), state)
