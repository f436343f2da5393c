import type { mongo } from 'mongoose';
import type { SettingsStore } from '../../spec/store';
import { isDuplicateKeyError } from './mongo-errors';

export interface SettingDoc {
  _id: string;
  value: string;
}

export class MongoSettingsStore implements SettingsStore {
  constructor(private readonly collection: mongo.Collection<SettingDoc>) {}

  async get(key: string): Promise<string | null> {
    const doc = await this.collection.findOne({ _id: key });
    return doc ? doc.value : null;
  }

  async setIfAbsent(key: string, value: string): Promise<string> {
    try {
      const doc = await this.collection.findOneAndUpdate(
        { _id: key },
        { $setOnInsert: { value } },
        { upsert: true, returnDocument: 'after', includeResultMetadata: false },
      );
      if (doc) return doc.value;
    } catch (err) {
      // A concurrent first write won the insert; its value is the answer.
      if (!isDuplicateKeyError(err)) throw err;
    }
    const stored = await this.get(key);
    if (stored === null) throw new Error(`store: setting ${key} vanished during setIfAbsent`);
    return stored;
  }

  async set(key: string, value: string): Promise<void> {
    try {
      await this.collection.updateOne({ _id: key }, { $set: { value } }, { upsert: true });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      await this.collection.updateOne({ _id: key }, { $set: { value } });
    }
  }
}
