/** The part of Shopify's Admin GraphQL schema (2026-10) that the app uses, with Shopify's names and shapes. */
export const typeDefs = /* GraphQL */ `
  scalar DateTime
  scalar URL
  scalar Money
  scalar UnsignedInt64

  type PageInfo {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }

  type UserError {
    field: [String!]
    message: String!
  }

  type Shop {
    id: ID!
    name: String!
    myshopifyDomain: String!
    currencyCode: String!
  }

  type Location {
    id: ID!
    name: String!
    isActive: Boolean!
  }
  type LocationEdge {
    cursor: String!
    node: Location!
  }
  type LocationConnection {
    edges: [LocationEdge!]!
    nodes: [Location!]!
    pageInfo: PageInfo!
  }

  enum WebhookSubscriptionTopic {
    ORDERS_CREATE
    ORDERS_UPDATED
    ORDERS_PAID
    ORDERS_CANCELLED
    APP_UNINSTALLED
    PRODUCTS_UPDATE
    INVENTORY_LEVELS_UPDATE
  }
  enum WebhookSubscriptionFormat {
    JSON
    XML
  }
  input WebhookSubscriptionInput {
    uri: String
    format: WebhookSubscriptionFormat
    includeFields: [String!]
    filter: String
  }
  type WebhookSubscription {
    id: ID!
    topic: WebhookSubscriptionTopic!
    uri: String!
    format: WebhookSubscriptionFormat!
    createdAt: DateTime!
    updatedAt: DateTime!
  }
  type WebhookSubscriptionEdge {
    cursor: String!
    node: WebhookSubscription!
  }
  type WebhookSubscriptionConnection {
    edges: [WebhookSubscriptionEdge!]!
    nodes: [WebhookSubscription!]!
    pageInfo: PageInfo!
  }
  type WebhookSubscriptionCreatePayload {
    webhookSubscription: WebhookSubscription
    userErrors: [UserError!]!
  }
  type WebhookSubscriptionDeletePayload {
    deletedWebhookSubscriptionId: ID
    userErrors: [UserError!]!
  }

  type ProductVariantRef {
    id: ID!
    sku: String
  }
  type LineItem {
    id: ID!
    sku: String
    name: String!
    title: String!
    quantity: Int!
    variant: ProductVariantRef
  }
  type LineItemEdge {
    cursor: String!
    node: LineItem!
  }
  type LineItemConnection {
    edges: [LineItemEdge!]!
    nodes: [LineItem!]!
    pageInfo: PageInfo!
  }
  enum OrderDisplayFinancialStatus {
    PENDING
    PAID
    REFUNDED
    VOIDED
  }
  type Order {
    id: ID!
    legacyResourceId: UnsignedInt64!
    name: String!
    createdAt: DateTime!
    updatedAt: DateTime!
    cancelledAt: DateTime
    displayFinancialStatus: OrderDisplayFinancialStatus
    lineItems(first: Int, after: String): LineItemConnection!
  }
  type OrderEdge {
    cursor: String!
    node: Order!
  }
  type OrderConnection {
    edges: [OrderEdge!]!
    nodes: [Order!]!
    pageInfo: PageInfo!
  }
  enum OrderSortKeys {
    CREATED_AT
    UPDATED_AT
    ID
    PROCESSED_AT
  }

  enum ProductStatus {
    ACTIVE
    ARCHIVED
    DRAFT
  }
  directive @idempotent(key: String!) on FIELD
  type InventoryQuantity {
    name: String!
    quantity: Int!
  }
  type InventoryLevel {
    id: ID!
    quantities(names: [String!]!): [InventoryQuantity!]!
  }
  type InventoryItem {
    id: ID!
    sku: String
    inventoryLevel(locationId: ID!): InventoryLevel
  }
  type InventoryItemEdge {
    cursor: String!
    node: InventoryItem!
  }
  type InventoryItemConnection {
    edges: [InventoryItemEdge!]!
    nodes: [InventoryItem!]!
    pageInfo: PageInfo!
  }
  input InventoryQuantityInput {
    inventoryItemId: ID!
    locationId: ID!
    quantity: Int!
    changeFromQuantity: Int
  }
  input InventorySetQuantitiesInput {
    name: String!
    reason: String!
    referenceDocumentUri: String
    quantities: [InventoryQuantityInput!]!
  }
  type InventoryChange {
    name: String!
    delta: Int!
    quantityAfterChange: Int
  }
  type InventoryAdjustmentGroup {
    reason: String!
    referenceDocumentUri: String
    changes: [InventoryChange!]!
  }
  type InventorySetQuantitiesUserError {
    field: [String!]
    message: String!
    code: String
  }
  type InventorySetQuantitiesPayload {
    inventoryAdjustmentGroup: InventoryAdjustmentGroup
    userErrors: [InventorySetQuantitiesUserError!]!
  }
  type ProductRef {
    id: ID!
    title: String!
  }
  type ProductVariant {
    id: ID!
    sku: String
    price: Money!
    inventoryQuantity: Int
    inventoryItem: InventoryItem!
    product: ProductRef!
  }
  type ProductVariantEdge {
    cursor: String!
    node: ProductVariant!
  }
  type ProductVariantConnection {
    edges: [ProductVariantEdge!]!
    nodes: [ProductVariant!]!
    pageInfo: PageInfo!
  }
  type Product {
    id: ID!
    title: String!
    status: ProductStatus!
    variants(first: Int, after: String): ProductVariantConnection!
  }
  input OptionValueSetInput {
    name: String
  }
  input OptionSetInput {
    name: String
    values: [OptionValueSetInput!]
  }
  input VariantOptionValueInput {
    optionName: String
    name: String
  }
  input ProductSetInventoryInput {
    locationId: ID!
    name: String!
    quantity: Int!
  }
  input ProductSetInventoryItemInput {
    sku: String
    tracked: Boolean
  }
  input ProductVariantSetInput {
    id: ID
    sku: String
    price: Money
    optionValues: [VariantOptionValueInput!]
    inventoryItem: ProductSetInventoryItemInput
    inventoryQuantities: [ProductSetInventoryInput!]
  }
  input ProductSetInput {
    id: ID
    title: String
    status: ProductStatus
    productOptions: [OptionSetInput!]
    variants: [ProductVariantSetInput!]
  }
  type ProductSetUserError {
    field: [String!]
    message: String!
    code: String
  }
  type ProductSetPayload {
    product: Product
    userErrors: [ProductSetUserError!]!
  }

  type Collection {
    id: ID!
    title: String!
    productsCount: Int!
  }
  type CollectionEdge {
    cursor: String!
    node: Collection!
  }
  type CollectionConnection {
    edges: [CollectionEdge!]!
    nodes: [Collection!]!
    pageInfo: PageInfo!
  }
  input CollectionInput {
    id: ID
    title: String
    products: [ID!]
  }
  type CollectionUserError {
    field: [String!]
    message: String!
  }
  type CollectionCreatePayload {
    collection: Collection
    userErrors: [CollectionUserError!]!
  }
  type CollectionAddProductsPayload {
    collection: Collection
    userErrors: [CollectionUserError!]!
  }

  type Query {
    collections(first: Int, after: String, query: String): CollectionConnection!
    productVariants(first: Int, after: String, query: String): ProductVariantConnection!
    inventoryItems(first: Int, after: String, query: String): InventoryItemConnection!
    shop: Shop!
    locations(first: Int, after: String): LocationConnection!
    webhookSubscriptions(first: Int, after: String, topics: [WebhookSubscriptionTopic!], uri: String): WebhookSubscriptionConnection!
    orders(first: Int, after: String, query: String, sortKey: OrderSortKeys, reverse: Boolean): OrderConnection!
    order(id: ID!): Order
  }

  type Mutation {
    webhookSubscriptionCreate(topic: WebhookSubscriptionTopic!, webhookSubscription: WebhookSubscriptionInput!): WebhookSubscriptionCreatePayload
    webhookSubscriptionDelete(id: ID!): WebhookSubscriptionDeletePayload
    productSet(input: ProductSetInput!, synchronous: Boolean): ProductSetPayload
    inventorySetQuantities(input: InventorySetQuantitiesInput!): InventorySetQuantitiesPayload
    collectionCreate(input: CollectionInput!): CollectionCreatePayload
    collectionAddProducts(id: ID!, productIds: [ID!]!): CollectionAddProductsPayload
  }
`;
