import fc from 'fast-check'
import { PROPERTY_SEED } from './property'

if (PROPERTY_SEED !== undefined) fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: PROPERTY_SEED })
