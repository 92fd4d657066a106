import { Foundation1795353615481 } from './1795353615481-Foundation.js';
import { Connections1795354637586 } from './1795354637586-Connections.js';
import { Orders1795355100031 } from './1795355100031-Orders.js';
import { InventoryOutbox1795359096004 } from './1795359096004-InventoryOutbox.js';
import { CollectionMappings1795359365040 } from './1795359365040-CollectionMappings.js';
import { SyncLogTypeIndex1795362769989 } from './1795362769989-SyncLogTypeIndex.js';
import { ConnectionLocation1795976562832 } from './1795976562832-ConnectionLocation.js';
import { OrderLifecycle1795978817793 } from './1795978817793-OrderLifecycle.js';
import { OrderCustomerEmail1795984341392 } from './1795984341392-OrderCustomerEmail.js';
import { OrderSources1795985388716 } from './1795985388716-OrderSources.js';
import { Forwarding1795987606617 } from './1795987606617-Forwarding.js';
import { OrderTotals1795989270313 } from './1795989270313-OrderTotals.js';
import { StatusRequests1796181422200 } from './1796181422200-StatusRequests.js';

/** Every migration, in order. `npm run migration:generate -- Name` adds new ones here. */
export const migrations: Function[] = [Foundation1795353615481, Connections1795354637586, Orders1795355100031, InventoryOutbox1795359096004, CollectionMappings1795359365040, SyncLogTypeIndex1795362769989, ConnectionLocation1795976562832, OrderLifecycle1795978817793, OrderCustomerEmail1795984341392, OrderSources1795985388716, Forwarding1795987606617, OrderTotals1795989270313, StatusRequests1796181422200];
