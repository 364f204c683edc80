// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

/// @title Audit registry of Silk Road Hub
/// @notice Records the Merkle roots of the hub's audit log checkpoints (RFC 6962 trees) and provenance
/// registrations, and emits an event for each. Only the account that deployed it (the hub) may write.
/// A record, once written, never changes: anchoring a root or registering a provenance record twice reverts.
contract AuditRegistry {
    struct Checkpoint {
        uint64 treeSize;
        uint64 blockNumber;
        bytes32 logId;
    }

    /// @notice The hub's account: the only one that may write.
    address public owner;

    /// @notice How many checkpoint roots and provenance records this registry holds.
    uint64 public checkpointCount;
    uint64 public provenanceCount;

    mapping(bytes32 root => Checkpoint) private _checkpoints;
    mapping(bytes32 itemHash => mapping(bytes32 recordHash => uint64 blockNumber)) private _provenance;

    event CheckpointAnchored(bytes32 indexed root, uint64 treeSize, bytes32 indexed logId, uint256 timestamp);
    event ProvenanceRegistered(bytes32 indexed itemHash, bytes32 indexed recordHash, uint256 timestamp);

    error NotOwner(address caller);
    error EmptyCheckpoint(bytes32 root);
    error AlreadyAnchored(bytes32 root, uint64 blockNumber);
    error AlreadyRegistered(bytes32 itemHash, bytes32 recordHash, uint64 blockNumber);

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    constructor() {
        owner = msg.sender;
    }

    /// @notice Records the root of the first `treeSize` entries of the audit log `logId`.
    function anchorCheckpoint(bytes32 root, uint64 treeSize, bytes32 logId) external onlyOwner {
        if (treeSize == 0) revert EmptyCheckpoint(root);
        uint64 anchoredAt = _checkpoints[root].blockNumber;
        if (anchoredAt != 0) revert AlreadyAnchored(root, anchoredAt);
        _checkpoints[root] = Checkpoint(treeSize, uint64(block.number), logId);
        checkpointCount += 1;
        emit CheckpointAnchored(root, treeSize, logId, block.timestamp);
    }

    /// @notice Records that `recordHash` (a provenance record's canonical hash) belongs to the item `itemHash`.
    function registerProvenance(bytes32 itemHash, bytes32 recordHash) external onlyOwner {
        uint64 registeredAt = _provenance[itemHash][recordHash];
        if (registeredAt != 0) revert AlreadyRegistered(itemHash, recordHash, registeredAt);
        _provenance[itemHash][recordHash] = uint64(block.number);
        provenanceCount += 1;
        emit ProvenanceRegistered(itemHash, recordHash, block.timestamp);
    }

    /// @notice The anchored checkpoint with this root; all zero when it was never anchored.
    function checkpoint(bytes32 root) external view returns (uint64 treeSize, uint64 blockNumber, bytes32 logId) {
        Checkpoint storage anchored = _checkpoints[root];
        return (anchored.treeSize, anchored.blockNumber, anchored.logId);
    }

    /// @notice The block that registered this provenance record; zero when it was never registered.
    function provenance(bytes32 itemHash, bytes32 recordHash) external view returns (uint64 blockNumber) {
        return _provenance[itemHash][recordHash];
    }
}
